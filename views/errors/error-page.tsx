import { BaseLayout } from "../layouts/base-layout.tsx";

/**
 * What a browser shows for a request that went wrong: a 404, a request the page could not have
 * sent (400), or our failure (500) with the id that support can find in the log.
 */
export function ErrorPage(props: { title: string; message: string; fields?: string[]; errorId?: string }) {
  return (
    <BaseLayout title={props.title}>
      <main class="auth-card">
        <h1 safe>{props.title}</h1>
        <p safe>{props.message}</p>
        {props.fields?.length ? (
          <p>
            Check: <span safe>{props.fields.join(", ")}</span>
          </p>
        ) : (
          ""
        )}
        {props.errorId ? (
          <p>
            Error id: <code safe>{props.errorId}</code>
          </p>
        ) : (
          ""
        )}
        <p>
          <a href="/inbox">Go to the inbox</a>
        </p>
      </main>
    </BaseLayout>
  );
}
