// The widget's home (issue 18 item 13): what a customer sees on opening the chat before writing,
// and a sound button that says what it does; no accessibility violations.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { launcher, messageField, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

test("opened before writing: the team's initials, whom the customer writes to and the greeting; it gives way to the conversation", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  shop.host.set({ snippet: shop.snippet() });
  await page.goto(shop.host.url);
  await launcher(page).click();
  const w = widget(page);
  const home = w.getByRole("heading", { name: "Chat with Website", level: 2 });
  await expect(home).toBeVisible();
  // Nobody is online here: the first few of the team, Ana Admin first, as initials (her first name for screen readers).
  const team = w.getByRole("list", { name: "The team" });
  await expect(team.getByRole("listitem").first()).toHaveText("AAAna");
  await expect(w.getByText("Hi! How can we help?")).toBeVisible();

  // The sound button: its icon shows the sound as it is, its name what a press does.
  const struck = w.locator('.sd-head path[d^="m16"]');
  await expect(struck).toBeHidden();
  await w.getByRole("button", { name: "Mute sounds" }).click();
  await expect(w.getByRole("button", { name: "Turn sounds on" })).toBeVisible();
  await expect(struck).toBeVisible();
  await w.getByRole("button", { name: "Turn sounds on" }).click();
  await expect(w.getByRole("button", { name: "Mute sounds" })).toBeVisible();

  // The shop's own content (red on white by its CSS) is not ours to judge: everything else is.
  const results = await new AxeBuilder({ page }).exclude("body > h1").exclude("body > p").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  const text = `Home test ${crypto.randomUUID()}`;
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(text, { exact: true })).toBeVisible();
  await expect(home).toBeHidden();
  await agent.close((await agent.conversationWith(text))!);
  await request.dispose();
});
