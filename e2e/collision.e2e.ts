import { customerAsks } from "./support/widget-page.ts";
import { expect, test } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

// The collision guard from end to end: Ana and Ben open one conversation; each header says the
// other is viewing (never oneself), Ben's typing shows as "… is typing…", and Ben's reply landing
// while Ana has a draft puts a notice above her Send button.

test("two agents in one conversation see each other viewing and typing, and a reply that lands during a draft is announced", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const tag = crypto.randomUUID().slice(0, 6);
  await customerAsks(request, await api.defaultInboxKey(), `two of us ${tag}`);
  const id = (await api.conversationWith(`two of us ${tag}`))!;

  // Ben joins through an invite.
  const ana = await signedInPage(browser, baseURL!, ADMIN);
  const benName = `Ben ${tag}`;
  await ana.goto("/settings/agents");
  await ana.getByLabel("Email").fill(`ben.${tag}@example.com`);
  await ana.getByLabel("Role").selectOption("agent");
  await ana.getByRole("button", { name: "Send invite" }).click();
  const link = await ana.getByLabel(/Invite link for/).inputValue();
  const ben = await (await browser.newContext({ baseURL })).newPage();
  await ben.goto(link);
  await ben.getByLabel("Name").fill(benName);
  await ben.getByLabel("Password").fill("another long password");
  await ben.getByRole("button", { name: "Create account" }).click();
  await expect(ben).toHaveURL(/\/inbox/);

  for (const page of [ana, ben]) {
    await page.goto(`/inbox/c/${id}`);
    await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  }
  const viewers = (page: typeof ana) => page.locator(`#conv-viewers-${id}`);
  await expect(viewers(ana).getByText(`${benName} is viewing`)).toBeVisible();
  await expect(viewers(ben).getByText(`${ADMIN.name} is viewing`)).toBeVisible();
  // Nobody is shown to themselves.
  await expect(viewers(ana).getByText(`${ADMIN.name} is viewing`)).toBeHidden();
  await expect(viewers(ben).getByText(`${benName} is viewing`)).toBeHidden();

  const benReply = ben.getByRole("textbox", { name: "Reply" });
  await benReply.pressSequentially("On it");
  await expect(viewers(ana).getByText(`${benName} is typing…`)).toBeVisible();

  // Ana drafts too; Ben sends first.
  await ana.getByRole("textbox", { name: "Reply" }).fill("Let me check that for you");
  await benReply.press("Enter");
  const notice = ana.getByRole("alert").filter({ hasText: "replied while you were typing" });
  await expect(notice).toHaveText(`${benName} replied while you were typing — review before sending`);
  await expect(ana.locator(`#conversation-${id} .messages`).getByText("On it")).toBeVisible();
  // Her draft is still hers to send.
  await expect(ana.getByRole("textbox", { name: "Reply" })).toHaveValue("Let me check that for you");
  await expect(viewers(ana).getByText(`${benName} is viewing`)).toBeVisible();
  await ben.context().close();
  await expect(viewers(ana).getByText(benName)).toHaveCount(0);
  await ana.context().close();
  // Closed: later specs expect an empty queue ("You are number 1").
  await api.close(id);
});
