// The launcher's unread count (issue 18, "phantom unread badge"): what the customer read with the
// widget open stays read after a reload and on the site's next page.
import { expect, test, type Page } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { installSdkStub, launcher, sdkEvents, transcript, useShop } from "./support/widget-page.ts";

const shop = useShop();

/** The page's widget has its session (the chat said `ready`): its unread count is told by then. */
async function chatReady(page: Page) {
  await expect.poll(() => sdkEvents(page)).toContain("ready");
}

test("replies read with the widget open are not unread after a reload or on the next page; a new one is", async ({ page, playwright, baseURL }) => {
  await installSdkStub(page, [["on", "ready"]]);
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const text = `Unread test ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);
  await agent.reply(id, "First answer");
  await agent.reply(id, "Second answer");
  await expect(transcript(page).getByText("Second answer")).toBeVisible(); // read: the panel is open

  await page.reload();
  await chatReady(page);
  await expect(launcher(page)).toHaveAccessibleName("Open chat");

  await page.goto(`${shop.host.url}?page=2`);
  await chatReady(page);
  await expect(launcher(page)).toHaveAccessibleName("Open chat");

  // What arrives while the panel is closed is unread, and stays so on the next page until read.
  await agent.reply(id, "Third answer");
  await expect(launcher(page)).toHaveAccessibleName("Open chat, 1 unread messages");
  await page.goto(`${shop.host.url}?page=3`);
  await chatReady(page);
  await expect(launcher(page)).toHaveAccessibleName("Open chat, 1 unread messages");
  await launcher(page).click();
  await expect(transcript(page).getByText("Third answer")).toBeVisible();
  await expect(page.getByRole("button", { name: "Close chat", exact: true })).toBeVisible();

  await agent.close(id);
  await request.dispose();
});
