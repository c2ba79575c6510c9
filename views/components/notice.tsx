/** A fixed confirmation from the server ("Saved."), announced politely when it appears. */
export function Notice(props: { message?: string | undefined }) {
  if (!props.message) return "";
  return (
    <p class="notice" role="status" safe>
      {props.message}
    </p>
  );
}
