// A refusal is an answer, not a failure: the request asked for something the rules do not allow.
// Domain errors extend Refusal, and the one error handler (src/http/error-handler.tsx) turns them
// into their status with the code and message: JSON for the API, an alert where htmx asked (the
// page's target), an error page for a browser. A route catches a refusal only to show a form again
// with what was typed and why.

export class Refusal extends Error {
  override name = "Refusal";
  constructor(
    /** The HTTP status it answers with (4xx). */
    readonly status: number,
    /** What clients switch on, e.g. "bad_email". */
    readonly code: string,
    /** A sentence the user reads. */
    message: string,
    /** Whole seconds before trying again (429). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }

  /** Where a browser is sent instead of being shown a page (with a 3xx status). */
  location?: string;
  /** The page a browser is shown, when the refusal has one of its own. */
  page?: () => JSX.Element;
  /**
   * For a refusal of a part of a page (the inbox's verbs): said where the result would have gone,
   * as an alert, instead of on an error page. Every refusal of an htmx request is said so, in
   * these words when they are given, else in its message.
   */
  alert?: string;
}

/** Input that no route accepts (a NUL character in text, say); `fields` names where it was. */
export class BadInput extends Refusal {
  override name = "BadInput";
  constructor(
    message: string,
    readonly fields: string[],
  ) {
    super(400, "bad_request", message);
  }
}
