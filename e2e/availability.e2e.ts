// Availability and business hours as the customer notices them: an agent who switches to Away
// leaves the widget saying nobody is online, and an inbox outside its business hours says when
// the team is back, whoever is online. A SupportDesk of its own: the hours change its inbox.
import { expect, test, type APIRequestContext, type Browser } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { launcher, snippetFor, widget } from "./support/widget-page.ts";

const PORT = E2E_PORT + 11;
const BASE = `http://127.0.0.1:${PORT}`;
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;
let host: Awaited<ReturnType<typeof startHostPage>> | undefined;
let request: APIRequestContext;

test.describe.configure({ mode: "serial" });
test.use({ baseURL: BASE });
test.beforeAll(async ({ playwright }) => {
  server = await startOwnInstance(PORT, { TIME_ZONE: "UTC" });
  host = await startHostPage(BASE, E2E_PORT + 12);
  request = await playwright.request.newContext({ baseURL: BASE });
  const agent = await signedInAgent(request, BASE);
  host.set({ snippet: snippetFor(BASE, await agent.defaultInboxKey()) });
});
test.afterAll(async () => {
  await request?.dispose();
  await host?.close();
  await server?.stop();
});

/** The admin's inbox, open in a browser of their own. */
async function agentPage(browser: Browser) {
  const context = await browser.newContext({ storageState: await request.storageState(), baseURL: BASE });
  const page = await context.newPage();
  await page.goto("/inbox");
  return { context, page };
}

const nobodyOnline = (page: import("@playwright/test").Page) => widget(page).getByText("Nobody is online right now.");

test("an agent with the inbox open who sets Away makes the widget say nobody is online; Online brings the team back", async ({ page, browser }) => {
  const agent = await agentPage(browser);
  await page.goto(host!.url);
  await launcher(page).click();
  await expect(widget(page).getByRole("heading", { level: 1 })).toBeVisible();
  await expect(nobodyOnline(page)).toBeHidden();

  const availability = agent.page.getByRole("combobox", { name: "Availability" });
  await expect(availability).toHaveValue("online");
  await availability.selectOption({ label: "Away" });
  await expect(nobodyOnline(page)).toBeVisible({ timeout: 5000 });
  // The choice is kept: a reload shows it.
  await agent.page.reload();
  await expect(agent.page.getByRole("combobox", { name: "Availability" })).toHaveValue("away");

  await agent.page.getByRole("combobox", { name: "Availability" }).selectOption({ label: "Online" });
  await expect(nobodyOnline(page)).toBeHidden({ timeout: 5000 });

  // The menu is in every page's header, Settings too (with the inbox still open in the first tab).
  const settings = await agent.context.newPage();
  await settings.goto("/settings/profile");
  await settings.getByRole("combobox", { name: "Availability" }).selectOption({ label: "Away" });
  await expect(nobodyOnline(page)).toBeVisible({ timeout: 5000 });
  await settings.getByRole("combobox", { name: "Availability" }).selectOption({ label: "Online" });
  await expect(nobodyOnline(page)).toBeHidden({ timeout: 5000 });
  await agent.context.close();
});

test("outside business hours the widget says when the team is back, with an agent online", async ({ page, browser }) => {
  const agent = await agentPage(browser);
  // Open only the day after tomorrow (the server's zone is UTC): now is closed whatever the time.
  const open = (new Date().getUTCDay() + 2) % 7;
  const settings = agent.page;
  await settings.goto("/settings");
  await settings.getByRole("link", { name: /^Edit / }).first().click();
  await settings.getByRole("checkbox", { name: "Set business hours" }).check();
  for (const [day, name] of WEEKDAYS.entries()) await settings.getByRole("checkbox", { name, exact: true }).setChecked(day === open);
  await settings.getByRole("button", { name: "Save changes" }).click();
  await expect(settings.getByText(/^Saved\./)).toBeVisible();
  await settings.goto("/inbox");

  await page.goto(host!.url);
  await launcher(page).click();
  await expect(widget(page).getByText(`Back ${WEEKDAYS[open]} at 09:00`)).toBeVisible();
  await expect(nobodyOnline(page)).toBeVisible();
  await agent.context.close();
});
