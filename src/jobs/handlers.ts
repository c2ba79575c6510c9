// What a job's kind runs. The email items register theirs here (issue 14); nothing else does yet.

/** A claimed job as its handler sees it. */
export interface RunningJob<P = unknown> {
  id: string;
  kind: string;
  payload: P;
  /**
   * This try's number, from 1. With `id` it makes an idempotency key for the outside world (a
   * stable Message-ID): a try after a crash mid-send repeats what the first one may have done.
   */
  attempt: number;
}

/** Resolves when the work is done; throws to have it tried again (see retry.ts for what is recorded). */
export type JobHandler<P = unknown> = (job: RunningJob<P>) => Promise<void>;

/** Kinds and their handlers; a worker claims only the kinds it has a handler for. */
export class JobHandlers {
  private readonly byKind = new Map<string, JobHandler>();

  register<P>(kind: string, handler: JobHandler<P>): this {
    if (this.byKind.has(kind)) throw new Error(`a job handler for "${kind}" is registered already`);
    this.byKind.set(kind, handler as JobHandler);
    return this;
  }

  get(kind: string): JobHandler | undefined {
    return this.byKind.get(kind);
  }

  get kinds(): string[] {
    return [...this.byKind.keys()];
  }
}
