// A figure's rows as a CSV download, streamed as they are read (csv-stringify quotes and escapes).
import { stringify } from "csv-stringify/sync";
import type { Cell, FigureTable } from "./service.ts";

/**
 * Spreadsheets run a cell that starts with = + - or @ (or a tab or carriage return, which some
 * strip first) as a formula: "=HYPERLINK(...)" in a customer's name must stay text. Such cells get
 * a leading apostrophe, which spreadsheets show as "text follows". Numbers are left alone.
 */
export function defuseFormula(cell: Cell): Cell {
  return typeof cell === "string" && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}

/** Rows per chunk written to the response: big enough to be cheap, small enough to start at once. */
const CHUNK_ROWS = 500;

function lines(rows: Cell[][]): string {
  return stringify(
    rows.map((r) => r.map(defuseFormula)),
    { record_delimiter: "\r\n", cast: { number: (n) => String(n) } },
  );
}

/** The table as CSV text (RFC 4180: CRLF line ends, a header row), produced chunk by chunk. */
export function csvStream(table: FigureTable): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const iterator = table.rows[Symbol.asyncIterator]();
  let headerSent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(lines([table.header])));
      }
      const chunk: Cell[][] = [];
      while (chunk.length < CHUNK_ROWS) {
        const next = await iterator.next();
        if (next.done) {
          if (chunk.length) controller.enqueue(encoder.encode(lines(chunk)));
          controller.close();
          return;
        }
        chunk.push(next.value);
      }
      controller.enqueue(encoder.encode(lines(chunk)));
    },
    async cancel() {
      await iterator.return?.();
    },
  });
}

/** The file name a download is saved as: what, and which local days. */
export function csvFileName(figure: string, from: string, to: string): string {
  return `supportdesk-${figure}-${from}-to-${to}.csv`;
}
