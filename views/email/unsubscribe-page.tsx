// The web pages the unsubscribe link of a conversation email opens (the link is in the email's
// footer and its List-Unsubscribe header). They face customers: no app navigation, no agent links.
import { BaseLayout } from "../layouts/base-layout.tsx";

/**
 * What GET shows: a question and a button. Opening the link changes nothing, because mail
 * scanners follow links; the button posts to the same address.
 */
export function UnsubscribeConfirmPage(props: { action: string }) {
  return (
    <BaseLayout title="Unsubscribe">
      <main class="auth-card">
        <h1>Stop conversation emails?</h1>
        <p>You will no longer get an email when the support team answers you in the chat while you are away.</p>
        <form method="post" action={props.action}>
          <button type="submit" class="button primary">
            Unsubscribe
          </button>
        </form>
      </main>
    </BaseLayout>
  );
}

/** After the POST, from the page's button or a mail provider's one-click request (RFC 8058). */
export function UnsubscribedPage() {
  return (
    <BaseLayout title="Unsubscribed">
      <main class="auth-card">
        <h1>You are unsubscribed</h1>
        <p>You will not get these emails any more. Your conversations stay open in the chat.</p>
      </main>
    </BaseLayout>
  );
}

/** A link we did not make (or one cut short by a mail program). */
export function UnsubscribeLinkBrokenPage() {
  return (
    <BaseLayout title="Link not valid">
      <main class="auth-card">
        <h1>This unsubscribe link does not work</h1>
        <p>It may have been cut short when it was copied. Open the link from the email again, all of it.</p>
      </main>
    </BaseLayout>
  );
}
