// `npm run screenshots` (scripts/screenshots.config.ts): renders the main screens into
// docs/screenshots/ for the README. Not part of the test run. Elements are found by their roles and
// names, never by CSS classes, so that the script keeps working while the look changes.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect, test, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { launcher, messageField, transcript } from "../e2e/support/widget-page.ts";
import { agentApi, inboxOf, JONAS, makeTeam, MAYA, morningAtTheShop } from "./screenshots-data.ts";
import { startShop } from "./screenshots-shop.ts";

const OUT = fileURLToPath(new URL("../docs/screenshots/", import.meta.url));
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

/** A signed-in agent's page in a browser context of its own. */
async function agentPage(browser: Browser, baseURL: string, who: { email: string; password: string }, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ baseURL, viewport: DESKTOP, deviceScaleFactor: 1, ...options });
  const page = await context.newPage();
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/inbox/);
  return page;
}

/** Waits until the page has settled (its requests answered, its fonts in), then writes `name`.png. */
async function shoot(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: `${OUT}${name}.png`, animations: "disabled", caret: "hide" });
}

test("screenshots of the main screens", async ({ browser, baseURL, playwright }) => {
  mkdirSync(OUT, { recursive: true });
  const base = baseURL!;
  const mayaRequest = await playwright.request.newContext({ baseURL: base });
  const jonasRequest = await playwright.request.newContext({ baseURL: base });
  const customers = await playwright.request.newContext({ baseURL: base });
  const team = await makeTeam(mayaRequest, jonasRequest, base);
  const inbox = await inboxOf(mayaRequest);
  // Maya has the inbox open from the start: the team is online for the customers.
  const maya = await agentPage(browser, base, MAYA);
  const { emma } = await morningAtTheShop(customers, team, inbox);

  // The widget on the shop's site: a customer asks, Maya answers.
  const shop = await startShop(new URL(base).port ? Number(new URL(base).port) + 1 : 3191, `<script src="${base}/widget.js" data-inbox="${inbox.key}" async></script>`);
  const customer = await (await browser.newContext({ viewport: DESKTOP, deviceScaleFactor: 1 })).newPage();
  await customer.goto(shop.url);
  await launcher(customer).click();
  const question = "Hi! Is the Trailblazer jacket waterproof?";
  await messageField(customer).fill(question);
  await messageField(customer).press("Enter");
  await expect(transcript(customer).getByText(question, { exact: true })).toBeVisible();
  const asked = await searchConversation(mayaRequest, question);
  await team.maya.claim(asked);
  await team.maya.reply(asked, "Hi! Yes: it has a 20,000 mm membrane and taped seams. It keeps you dry in a downpour.");
  const answer = transcript(customer).getByText(/20,000 mm membrane/);
  await expect(answer).toBeVisible();
  // The transcript may still be scrolling to it: the shot shows the answer whole.
  await answer.scrollIntoViewIfNeeded();
  await expect(answer).toBeInViewport({ ratio: 1 });
  await shoot(customer, "widget");
  await customer.context().close();
  await shop.close();

  // The team's side, on a desktop.
  await maya.goto("/inbox");
  await expect(maya.getByText("Lucas Moreau").first()).toBeVisible();
  await shoot(maya, "inbox");
  await maya.goto(`/inbox/c/${emma}`);
  await expect(maya.getByText("Perfect, thank you so much!").first()).toBeVisible();
  await shoot(maya, "conversation");
  await maya.goto("/tickets");
  await expect(maya.getByRole("link", { name: /zipper broke/ })).toBeVisible();
  await shoot(maya, "tickets");
  await maya.goto("/analytics");
  await expect(maya.getByRole("heading", { name: "Analytics", level: 1 })).toBeVisible();
  await shoot(maya, "analytics");
  await maya.context().close();

  // On a phone, and in dark mode.
  for (const [prefix, options] of [
    ["phone", { viewport: PHONE, isMobile: true, hasTouch: true }],
    ["dark", { colorScheme: "dark" }],
  ] as const) {
    const page = await agentPage(browser, base, JONAS, options);
    await expect(page.getByText("Lucas Moreau").first()).toBeVisible();
    await shoot(page, `${prefix}-inbox`);
    await page.goto(`/inbox/c/${emma}`);
    await expect(page.getByRole("log").getByText("Perfect, thank you so much!").first()).toBeVisible();
    await shoot(page, `${prefix}-conversation`);
    await page.context().close();
  }
  // Nothing is left open: the next run starts from an empty directory anyway.
  await Promise.all([mayaRequest.dispose(), jonasRequest.dispose(), customers.dispose()]);
});

/** The conversation whose transcript holds `text`, as the inbox's search finds it (it may take a moment to arrive). */
async function searchConversation(request: Parameters<typeof agentApi>[0], text: string): Promise<string> {
  let id: string | undefined;
  await expect
    .poll(async () => {
      const html = await (await request.get("/inbox/list", { params: { tab: "open", q: text } })).text();
      return (id = /id="conv-row-([0-9a-f-]{36})"/.exec(html)?.[1]);
    })
    .toBeTruthy();
  return id!;
}
