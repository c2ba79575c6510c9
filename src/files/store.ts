// Where attachment bytes live, behind one interface (ARCHITECTURE §10): a folder in embedded mode,
// the database or an S3-compatible bucket on PostgreSQL (src/files/files-of.ts picks one). The
// service checks type and size while the bytes stream through; a store only keeps them.

export interface FileStore {
  /**
   * Stores the bytes under `key` as they arrive (never all in memory). When `chunks` throws (the
   * upload was cut, or grew past the limit), nothing is left under `key` and the error is rethrown.
   * A key is written once.
   */
  put(key: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** The bytes under `key` as a stream, or null when there are none. */
  get(key: string): Promise<ReadableStream<Uint8Array> | null>;
  /** Deletes what is stored under these keys; keys with nothing stored are skipped. */
  remove(keys: string[]): Promise<void>;
}
