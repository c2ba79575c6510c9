/** A message about the whole form, announced to screen readers when it appears. */
export function Alert(props: { message?: string | undefined }) {
  if (!props.message) return "";
  return (
    <p class="alert" role="alert" safe>
      {props.message}
    </p>
  );
}
