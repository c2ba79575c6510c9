// Small request-parameter helpers shared by the settings pages' routes.
import { t } from "elysia";

/** `/:id` of a row. The cap only stops garbage; routes still check isUuid before querying. */
export const idParams = t.Object({ id: t.String({ maxLength: 100 }) });

/**
 * A fixed confirmation after a redirect (post/redirect/get): the query names one of `notices`,
 * never carries text, so nothing a link says can appear on the page.
 */
export function noticeFrom<T extends Record<string, string>>(notices: T, key: unknown): string | undefined {
  return typeof key === "string" && Object.hasOwn(notices, key) ? notices[key as keyof T] : undefined;
}
