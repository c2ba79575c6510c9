import { customerAsks } from "./support/widget-page.ts";
import { expect, test, type BrowserContext } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { PHONE, phonePage } from "./support/phone.ts";
import { signInThroughPage } from "./support/sign-in.ts";

// The inbox on a phone shows one thing at a time, as the URL says: the list, a conversation, its
// contact; links lead back, and so does the browser's back button. The header folds into a menu.

test("on a phone the inbox shows the list, then a conversation, then its contact, with a way back from each; the header folds into a menu", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const contexts: BrowserContext[] = [];
  const text = `Phone flow ${crypto.randomUUID()}`;
  await customerAsks(request, await api.defaultInboxKey(), text);
  const id = (await api.conversationWith(text))!;
  try {
    await api.claim(id);
    const page = await phonePage(browser, baseURL!, contexts);
    await signInThroughPage(page, ADMIN);
    await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
    const list = page.getByRole("list", { name: "Conversations" });
    const reply = page.getByRole("textbox", { name: "Reply" });
    const contact = page.getByRole("heading", { name: "Contact", exact: true });
    const composer = page.locator(`#composer-${id}`);
    await page.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: /^Mine/ }).tap();
    await expect(list).toBeVisible();
    await expect(page.getByRole("region", { name: "Conversation" })).toBeHidden();

    // List → conversation: the list goes, the reply form sits at the foot of the screen.
    await page.locator(`#conv-link-${id}`).tap();
    await expect(page).toHaveURL(`/inbox/c/${id}`);
    await expect(reply).toBeVisible();
    await expect(list).toBeHidden();
    const bottom = async () => ((b) => b!.y + b!.height)(await composer.boundingBox());
    expect(await bottom()).toBeGreaterThan(844 - 8);
    expect(await bottom()).toBeLessThanOrEqual(844);
    // An on-screen keyboard shrinks the viewport (interactive-widget=resizes-content): the form stays above it.
    await page.setViewportSize({ width: 390, height: 480 });
    await expect.poll(bottom).toBeLessThanOrEqual(480);
    expect(await bottom()).toBeGreaterThan(480 - 8);
    await page.setViewportSize(PHONE.viewport);

    // The browser's back button goes back to the list, as "Back to conversations" would.
    await page.goBack();
    await expect(list).toBeVisible();
    await expect(reply).toBeHidden();

    // The header (swapped in whole by the history restore): a Menu button that opens the
    // navigation, notifications, availability and sign-out.
    const menu = page.getByRole("button", { name: "Menu" });
    const nav = page.getByRole("navigation", { name: "Main" });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();
    await menu.tap();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    for (const reachable of [nav.getByRole("link", { name: "Tickets" }), page.getByRole("button", { name: /^Notifications/ }), page.getByRole("combobox", { name: /Availability/ }), page.getByRole("button", { name: "Sign out" })]) {
      await expect(reachable).toBeVisible();
    }
    await menu.tap();
    await expect(nav).toBeHidden();

    await page.locator(`#conv-link-${id}`).tap();
    await expect(reply).toBeVisible();

    // Conversation → contact (its own URL) → back to the conversation → back to the list.
    await page.getByRole("link", { name: "Contact", exact: true }).tap();
    await expect(page).toHaveURL(`/inbox/c/${id}#contact-${id}`);
    await expect(contact).toBeVisible();
    await expect(reply).toBeHidden();
    await page.getByRole("link", { name: "Back to conversation", exact: true }).tap();
    await expect(reply).toBeVisible();
    await expect(contact).toBeHidden();
    await page.goBack();
    await expect(contact).toBeVisible();
    await page.goBack();
    await expect(reply).toBeVisible();
    await page.getByRole("link", { name: "Back to conversations" }).tap();
    await expect(page).toHaveURL(/\/inbox$/);
    await expect(list).toBeVisible();
    await expect(reply).toBeHidden();

    // A wide screen shows everything at once, without the phone's links and menu.
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(`/inbox/c/${id}`);
    await expect(list).toBeVisible();
    await expect(reply).toBeVisible();
    await expect(contact).toBeVisible();
    await expect(nav).toBeVisible();
    await expect(menu).toBeHidden();
    await expect(page.getByRole("link", { name: "Back to conversations" })).toBeHidden();
  } finally {
    for (const context of contexts) await context.close();
    await api.close(id);
    await request.dispose();
  }
});
