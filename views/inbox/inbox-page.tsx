import { AppLayout } from "../layouts/app-layout.tsx";
import { LiveStatus } from "./live-status.tsx";

/** The agents' inbox. Its list, queue and conversation pane arrive with the conversations work. */
export function InboxPage(props: { agent: { name: string; role: string } }) {
  return (
    <AppLayout
      title="Inbox"
      section="inbox"
      agent={props.agent}
      scripts={["/public/vendor/htmx.min.js", "/public/vendor/hx-ws.min.js", "/public/inbox.js"]}
    >
      <div class="inbox" hx-ws:connect="/ws/inbox">
        <div class="inbox-toolbar">
          <h1>Inbox</h1>
          <LiveStatus state="connecting" />
        </div>
        <section class="empty-state" aria-labelledby="empty-title">
          <h2 id="empty-title">No conversations yet</h2>
          <p>When a visitor writes through the chat widget, the conversation shows up here.</p>
        </section>
      </div>
    </AppLayout>
  );
}
