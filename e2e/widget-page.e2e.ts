// The widget on a shop's page: its sound, keyboard and accessibility, and messages of other sites
// that it ignores.
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { launcher, messageField, sdk, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

test("an agent's message plays a sound while the panel is closed, not while it is open, and never when muted", async ({ page, playwright, baseURL }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { beeps: number };
    w.beeps = 0;
    const start = OscillatorNode.prototype.start;
    OscillatorNode.prototype.start = function (...args: Parameters<OscillatorNode["start"]>) {
      w.beeps++;
      return start.apply(this, args);
    };
  });
  const beeps = () => page.frame({ url: /\/embed\/widget/ })!.evaluate(() => (window as unknown as { beeps: number }).beeps);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const text = `Sound test ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);

  await launcher(page).click(); // closed
  await agent.reply(id, "First answer");
  await expect(page.getByRole("button", { name: /1 unread/ })).toBeVisible();
  expect(await beeps()).toBe(1);

  await launcher(page).click(); // open
  await agent.reply(id, "Second answer");
  await expect(transcript(page).getByText("Second answer")).toBeVisible();
  expect(await beeps()).toBe(1);

  // The button's name says what a press does.
  await widget(page).getByRole("button", { name: "Mute sounds" }).click();
  await expect(widget(page).getByRole("button", { name: "Turn sounds on" })).toBeVisible();
  await launcher(page).click(); // closed
  await agent.reply(id, "Third answer");
  await expect(page.getByRole("button", { name: /1 unread/ })).toBeVisible();
  expect(await beeps()).toBe(1);

  // The choice is remembered on this browser.
  await page.reload();
  await launcher(page).click();
  await expect(widget(page).getByRole("button", { name: "Turn sounds on" })).toBeVisible();
  await request.dispose();
});

test("the open widget has no accessibility violations and works from the keyboard", async ({ page }) => {
  shop.host.set({ snippet: shop.snippet() });
  await page.goto(shop.host.url);
  // The launcher shows once the chat has loaded (a website the inbox does not allow gets none).
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeFocused();
  await page.keyboard.press("Enter");
  const w = widget(page);
  await expect(messageField(page)).toBeFocused();
  await expect(w.getByRole("button", { name: "Send" })).toBeVisible();
  const frame = page.frames().find((f) => f.url().includes("/embed/widget"))!;
  // The shop's own content (red on white by its CSS) is not ours to judge: everything else is.
  const results = await new AxeBuilder({ page }).exclude("body > h1").exclude("body > p").analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  expect(frame).toBeTruthy();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeFocused();
});

test("messages in the widget's words from another site are ignored by the loader and the widget", async ({ page, context }) => {
  const ad = "http://ads.localhost:3113/frame";
  await context.route(ad, (route) => route.fulfill({ contentType: "text/html", body: "<!doctype html><title>Ad</title>" }));
  shop.host.set({ snippet: shop.snippet(), frames: [ad] });
  await page.goto(shop.host.url);
  await launcher(page).click();
  const kept = `Kept message ${crypto.randomUUID()}`;
  await typeMessage(page, kept);
  await messageField(page).press("Enter");
  await expect(transcript(page).getByText(kept)).toBeVisible();

  // An ad framed on the shop's page writes to the page, where the loader listens.
  await page.frame({ url: ad })!.evaluate(() => {
    window.top!.postMessage({ sd: "supportdesk", type: "unread", count: 7 }, "*");
    window.top!.postMessage({ sd: "supportdesk", type: "close" }, "*");
  });
  // A window of another site that got hold of the widget's frame (here: one it opened) writes to it.
  const popup = context.waitForEvent("page");
  await widget(page).locator("body").evaluate((_, url) => void window.open(url), ad);
  await (await popup).evaluate(() => {
    window.opener.postMessage({ sd: "supportdesk", type: "prefill", text: "Forged text" }, "*");
    window.opener.postMessage({ sd: "supportdesk", type: "shutdown" }, "*");
  });

  // The shop's own call, sent after the forged ones, arrives; none of the forged ones did: the
  // chat was not forgotten, the panel not closed, no unread count set.
  await sdk(page, "showNewMessage", "From the shop");
  await expect(messageField(page)).toHaveValue("From the shop");
  await expect(transcript(page).getByText(kept)).toBeVisible();
  await expect(page.getByRole("button", { name: "Close chat", exact: true })).toBeVisible();
  await expect(page.getByRole("button", { name: /unread/ })).toHaveCount(0);
});
