import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";
import { expectFitsPhone } from "./phone.ts";

/** axe-core's violations on the page as it is now, one line per rule and element, for a readable failure. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${page.url()} ${v.id}: ${n.target.join(" ")}`));
}

/** No violation with the system set to light, nor set to dark; the page is left in light. */
export async function expectAccessible(page: Page) {
  const found: string[] = [];
  for (const colorScheme of ["dark", "light"] as const) {
    await page.emulateMedia({ colorScheme });
    found.push(...(await violations(page)).map((line) => `${colorScheme}: ${line}`));
  }
  expect(found).toEqual([]);
}

/**
 * As expectAccessible at the page's own size, then on a phone (no sideways scroll, no violation in
 * light or dark: expectFitsPhone); the size and the light scheme are put back after.
 */
export async function expectAccessibleEverywhere(page: Page) {
  await expectAccessible(page);
  const size = page.viewportSize();
  await expectFitsPhone(page);
  if (size) await page.setViewportSize(size);
  await page.emulateMedia({ colorScheme: "light" });
}
