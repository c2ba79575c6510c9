import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Browser, type BrowserContext, type Page } from "@playwright/test";

// A phone for the browser tests (390x844, touch), and what every page must be on it.

export const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
export const SCHEMES = ["light", "dark"] as const;

/** A new phone-sized browser context (closed by the caller with the others in `contexts`) and its page. */
export async function phonePage(browser: Browser, baseURL: string, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext({ ...PHONE, baseURL });
  contexts.push(context);
  return context.newPage();
}

/** What sticks out past the right edge of the screen, for a readable failure. */
function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.scrollingElement!.clientWidth;
    // Inside a box that scrolls or clips (an absolutely placed element may escape it: reported).
    const clipped = (el: Element) => {
      if (/absolute|fixed/.test(getComputedStyle(el).position)) return false;
      for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
      return false;
    };
    return Array.from(document.body.querySelectorAll("*"))
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !clipped(el))
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${Array.from(el.classList).join(".")} right=${Math.round(el.getBoundingClientRect().right)}`)
      .slice(0, 8);
  });
}

/** The page scrolls sideways by this many pixels (0: it does not). */
const sideways = (page: Page) => page.evaluate(() => document.scrollingElement!.scrollWidth - document.scrollingElement!.clientWidth);

/**
 * The page as it is now, in each colour scheme (the agent's theme follows the system's): no
 * sideways scroll, no axe-core violation; and no sideways scroll on the narrowest and widest
 * phones either.
 */
export async function expectFitsPhone(page: Page) {
  for (const width of [360, 430]) {
    await page.setViewportSize({ width, height: PHONE.viewport.height });
    expect(await sideways(page), `${page.url()} at ${width} px scrolls sideways: ${(await overflowing(page)).join(", ")}`).toBeLessThanOrEqual(0);
  }
  await page.setViewportSize(PHONE.viewport);
  for (const colorScheme of SCHEMES) {
    await page.emulateMedia({ colorScheme });
    const where = `${page.url()} (${colorScheme})`;
    expect(await sideways(page), `${where} scrolls sideways: ${(await overflowing(page)).join(", ")}`).toBeLessThanOrEqual(0);
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.flatMap((v) => v.nodes.map((n) => `${where} ${v.id}: ${n.target.join(" ")}`))).toEqual([]);
  }
}

