import { AppLayout } from "../layouts/app-layout.tsx";

/** 403 for a signed-in agent on an admin's page: says why, and where to go instead. */
export function ForbiddenPage(props: { agent: { name: string; role: string } }) {
  return (
    <AppLayout title="Admins only" section="settings" agent={props.agent}>
      <h1>Admins only</h1>
      <p>Only an admin can open this page. Ask an admin of your team if you need a change here.</p>
      <p>
        <a href="/settings/profile">Your profile</a> · <a href="/inbox">Back to the inbox</a>
      </p>
    </AppLayout>
  );
}
