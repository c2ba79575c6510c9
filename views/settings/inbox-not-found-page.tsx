import { AppLayout } from "../layouts/app-layout.tsx";

/** An inbox id that names nothing (deleted, or a mistyped link). */
export function InboxNotFoundPage(props: { agent: { name: string; role: string } }) {
  return (
    <AppLayout title="No such inbox" section="settings" agent={props.agent}>
      <h1>No such inbox</h1>
      <p>
        <a href="/settings">See all inboxes</a>
      </p>
    </AppLayout>
  );
}
