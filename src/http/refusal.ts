// A refusal is an answer, not a failure: the request asked for something the rules do not allow.
// Domain errors that a route lets through extend Refusal, and the one error handler
// (src/http/error-handler.tsx) turns them into their status with the code and message.

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
