// A website that is not in the inbox's allowed websites (issue 18 item 3): customers see nothing
// of the chat (no launcher, no broken frame), and the site owner reads why in the console.
import { expect, test, type Browser, type APIRequestContext } from "@playwright/test";
import { signedInAgent } from "./support/agent-api.ts";
import { launcher, useShop } from "./support/widget-page.ts";

const shop = useShop();

/** The default inbox's allowed websites, saved from its settings page as an admin would. */
async function allowWebsites(browser: Browser, request: APIRequestContext, baseURL: string, websites: string) {
  const admin = await browser.newContext({ storageState: await request.storageState(), baseURL });
  const settings = await admin.newPage();
  await settings.goto("/settings");
  await settings.locator('a[href^="/settings/inboxes/"]').first().click();
  await settings.getByLabel("Websites that may show this chat").fill(websites);
  await settings.getByRole("button", { name: "Save changes" }).click();
  await settings.waitForURL(/done=saved/);
  await admin.close();
}

test("on a website missing from the allowed list there is no launcher and no frame, and the console says why", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!);
  const shopOrigin = new URL(shop.host.url).origin;
  const warnings: string[] = [];
  page.on("console", (message) => void (["warning", "error"].includes(message.type()) && warnings.push(message.text())));
  // A typo: the shop's own address is not in the list.
  await allowWebsites(browser, request, baseURL!, "https://shop.exmaple");
  try {
    shop.host.set({ snippet: shop.snippet() });
    await page.goto(shop.host.url);
    await expect.poll(() => warnings.join("\n")).toContain(`SupportDesk: ${shopOrigin} is not one of this inbox's allowed websites`);
    await expect(page.locator("supportdesk-widget")).toHaveCount(0);
    await expect(page.locator("iframe")).toHaveCount(0);
    await expect(launcher(page)).toHaveCount(0);

    // Once the address is in the list, the launcher is there.
    await allowWebsites(browser, request, baseURL!, `https://shop.exmaple\n${shopOrigin}`);
    warnings.length = 0;
    await page.goto(shop.host.url);
    await expect(launcher(page)).toBeVisible();
    await launcher(page).click();
    await expect(page.frameLocator('iframe[src*="/embed/widget"]').getByRole("textbox", { name: "Message", exact: true })).toBeVisible();
    expect(warnings.filter((text) => text.includes("SupportDesk"))).toEqual([]);
  } finally {
    await allowWebsites(browser, request, baseURL!, "");
    await request.dispose();
  }
});
