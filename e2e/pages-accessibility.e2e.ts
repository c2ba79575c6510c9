import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { expectAccessible } from "./support/accessibility.ts";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { signedInPage } from "./support/sign-in.ts";
import { snippetFor, waitInQueue } from "./support/widget-page.ts";

// Every page an agent or a new colleague meets, in the states they meet it in (with data, with a
// form error, with a dialog open, a conversation open), checked by axe-core in the light and in
// the dark look (the system's setting, which pages follow unless the agent chose one). /setup is
// checked in first-run.e2e.ts, which is the only place it can be seen; the widget in widget.e2e.ts.

test("signed-out pages: sign-in (and its error), a broken invite link, the demo", async ({ page, playwright, baseURL }) => {
  test.setTimeout(60_000); // eight axe scans (each page in light and dark)
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!); // the install has its admin
  await request.dispose();

  await page.goto("/login");
  await expectAccessible(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expectAccessible(page);

  await page.goto("/invites/not-a-real-token-at-all-0000000000");
  await expect(page.getByRole("heading", { name: "This invite link does not work" })).toBeVisible();
  await expectAccessible(page);

  await page.goto("/demo");
  await expect(page.getByRole("button", { name: "Open chat" })).toBeVisible();
  await expectAccessible(page);
});

test("an admin's pages: the inbox with each tab, a conversation, the shortcuts, settings, agents and invites, the profile", async ({ page: customer, browser, playwright, baseURL }) => {
  // Some fifteen pages, each with an axe scan in light and in dark: about 90 s on 2 busy cores.
  test.setTimeout(240_000);
  const host = await startHostPage(new URL(baseURL!).origin);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const snippet = snippetFor(new URL(baseURL!).origin, await api.defaultInboxKey());
  const contexts: BrowserContext[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ baseURL });
    contexts.push(context);
    return context.newPage();
  };
  try {
    // Something in every tab: one conversation waiting, one claimed and answered, one closed.
    const waiting = `Still waiting ${crypto.randomUUID()}`;
    await waitInQueue(customer, host, snippet, waiting);
    const answered = `Answered ${crypto.randomUUID()}`;
    const second = await newPage();
    await waitInQueue(second, host, snippet, answered);
    const mine = (await api.conversationWith(answered))!;
    await api.claim(mine);
    await api.reply(mine, "Happy to help with that.");
    const closed = `Closed one ${crypto.randomUUID()}`;
    const third = await newPage();
    await waitInQueue(third, host, snippet, closed);
    await api.close((await api.conversationWith(closed))!);

    const admin = await signedInPage(browser, baseURL!, ADMIN);
    await expect(admin.locator("#live-status")).toHaveAttribute("data-state", "live");
    for (const tab of ["Queue", "Mine", "All open", "Closed"]) {
      const link = admin.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: new RegExp(`^${tab}`) });
      await link.click();
      await expect(link).toHaveAttribute("aria-current", "page");
      await expect(admin.locator(".conv-row, [id^=conv-row-]").first()).toBeVisible();
      await expectAccessible(admin);
    }
    // The tab's icon carries the count that the title shows (the server's number, on the tab bar).
    const attention = await admin.locator("#inbox-tabs").getAttribute("data-attention");
    expect(Number(attention)).toBeGreaterThan(0);
    await expect(admin).toHaveTitle(new RegExp(`^\\(${attention}\\) Inbox`));
    await expect(admin.locator('link[rel="icon"]')).toHaveAttribute("href", `/favicon.svg?unread=${attention}`);
    // A conversation opened from its tab: its row is marked as the open one (every text of the
    // row keeps its contrast on the marked row).
    await admin.getByRole("navigation", { name: "Conversation tabs" }).getByRole("link", { name: /^Mine/ }).click();
    await admin.locator(`#conv-link-${mine}`).click();
    await expect(admin.getByRole("textbox", { name: "Reply" })).toBeVisible();
    await expect(admin.locator(`#conv-link-${mine}`)).toHaveAttribute("aria-current", "true");
    await expectAccessible(admin);
    // A conversation as a full page (a link opened in a new tab), then the shortcuts dialog.
    await admin.goto(`/inbox/c/${mine}`);
    await expect(admin.getByRole("textbox", { name: "Reply" })).toBeVisible();
    await expectAccessible(admin);
    await admin.locator("body").press("?");
    await expect(admin.getByRole("dialog")).toBeVisible();
    await expectAccessible(admin);
    await admin.keyboard.press("Escape");

    await admin.goto("/settings");
    await expectAccessible(admin);
    await admin.locator('a[href^="/settings/inboxes/"]').first().click();
    await expect(admin.getByRole("button", { name: "Save changes" })).toBeVisible();
    const inboxSettings = admin.url();
    await expectAccessible(admin);
    // A question added by htmx: numbered by the server, labels still unique.
    await admin.getByRole("button", { name: "Add a question" }).click();
    await expect(admin.getByRole("textbox", { name: "Keywords (comma-separated)" }).last()).toBeFocused();
    await expectAccessible(admin);
    // The same form refusing a value: errors are tied to their fields.
    // (The colour picker posts only valid colours: a refused website line instead.)
    await admin.getByLabel("Websites that may show this chat").fill("shop.example/path");
    await admin.getByRole("button", { name: "Save changes" }).click();
    await expect(admin.getByLabel("Websites that may show this chat")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(admin);

    await admin.goto("/settings/agents");
    await expectAccessible(admin);
    const email = `cleo-${crypto.randomUUID().slice(0, 8)}@example.com`;
    await admin.getByLabel("Email").fill(email);
    await admin.getByLabel("Role").selectOption("agent");
    await admin.getByRole("button", { name: "Send invite" }).click();
    const link = await admin.getByLabel(/Invite link for/).inputValue();
    await expectAccessible(admin);
    // The link's copy button says so once it has copied.
    await admin.context().grantPermissions(["clipboard-read", "clipboard-write"]);
    await admin.getByRole("button", { name: "Copy link" }).click();
    await expect(admin.getByRole("button", { name: "Copied" })).toBeVisible();
    expect(await admin.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expectAccessible(admin);

    await admin.goto("/settings/profile");
    await expectAccessible(admin);

    // The new colleague: the invite page, its error, and what an agent sees of the settings.
    const cleo = await newPage();
    await cleo.goto(link);
    await expect(cleo.getByRole("heading", { name: "Join SupportDesk" })).toBeVisible();
    await expectAccessible(cleo);
    await cleo.getByLabel("Name").fill("Cleo Agent");
    await cleo.getByLabel("Password").fill("short");
    await cleo.getByRole("button", { name: "Create account" }).click();
    await expect(cleo.getByLabel("Password")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(cleo);
    await cleo.getByLabel("Password").fill("a long enough password");
    await cleo.getByRole("button", { name: "Create account" }).click();
    await expect(cleo).toHaveURL(/\/inbox/);
    await expectAccessible(cleo);
    await cleo.goto("/settings");
    await expectAccessible(cleo);
    // An admin's page is refused with a page that says so.
    const refused = await cleo.goto(inboxSettings);
    expect(refused?.status()).toBe(403);
    await expectAccessible(cleo);
  } finally {
    // Nothing of this test may wait in the queue: later tests count places in it.
    const left = await api.tab("queue");
    for (const id of left) await api.close(id);
    for (const context of contexts) await context.close();
    await request.dispose();
    await host.close();
  }
});

test("tickets, analytics and the account: the new-ticket form (and its error), a ticket, the list, the analytics page, the time zone (and its error)", async ({ page: customer, browser, playwright, baseURL }) => {
  test.setTimeout(120_000); // seven pages, each scanned in light and dark
  const host = await startHostPage(new URL(baseURL!).origin);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  let conversation: string | undefined;
  try {
    const text = `Ticket-worthy ${crypto.randomUUID()}`;
    await waitInQueue(customer, host, snippetFor(new URL(baseURL!).origin, await api.defaultInboxKey()), text);
    conversation = (await api.conversationWith(text))!;
    await api.claim(conversation);

    const admin = await signedInPage(browser, baseURL!, ADMIN);
    await admin.goto(`/tickets/new?conversation=${conversation}`);
    await expect(admin.getByLabel("Subject")).toHaveValue(text);
    await expectAccessible(admin);
    // Refused: the error is tied to its field.
    await admin.getByLabel("Subject").fill(" ");
    await admin.getByLabel("Subject").evaluate((field) => field.removeAttribute("required"));
    await admin.getByRole("button", { name: "Create ticket" }).click();
    await expect(admin.getByLabel("Subject")).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(admin);
    await admin.getByLabel("Subject").fill(text);
    await admin.getByRole("button", { name: "Create ticket" }).click();
    await expect(admin).toHaveURL(/\/tickets\/\d+$/);
    await expectAccessible(admin);

    await admin.goto(`/tickets?q=${encodeURIComponent(text.split(" ")[1]!)}&status=any`);
    await expect(admin.locator("#ticket-rows tr").first()).toBeVisible();
    await expectAccessible(admin);

    await admin.goto("/analytics");
    await expect(admin.getByRole("heading", { name: "Tickets by status and priority" })).toBeVisible();
    await expectAccessible(admin);

    // The account's time zone, and the same form refusing a zone (nothing is saved).
    await admin.goto("/settings/account");
    await expectAccessible(admin);
    await admin.getByRole("combobox", { name: "Time zone" }).fill("Mars/Olympus_Mons");
    await admin.getByRole("button", { name: "Save time zone" }).click();
    await expect(admin.getByRole("combobox", { name: "Time zone" })).toHaveAttribute("aria-invalid", "true");
    await expectAccessible(admin);

    await admin.goto("/settings/jobs");
    await expect(admin.getByRole("heading", { name: "Failed" })).toBeVisible();
    await expectAccessible(admin);
    await admin.context().close();
  } finally {
    if (conversation) await api.close(conversation);
    await request.dispose();
    await host.close();
  }
});
