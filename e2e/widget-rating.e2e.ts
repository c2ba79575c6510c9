// Satisfaction (CSAT) end to end: an agent closes the chat, the customer rates it "Good" with a
// comment through the named buttons, the agent's open conversation shows it at once, and
// /analytics counts it for the agent.
import { expect, test } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { transcript, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

test("the customer rates a closed chat; the agent sees it live in the timeline, and analytics counts it", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  await shop.waitInQueue(page, "Rate me afterwards");
  const id = (await agent.conversationWith("Rate me afterwards"))!;
  await agent.claim(id);

  // The agent has the conversation open in the inbox, as a person would.
  const inbox = await signedInPage(browser, baseURL!, ADMIN);
  await inbox.goto(`/inbox/c/${id}`);
  await expect(inbox.locator(`#messages-${id}`)).toContainText("Rate me afterwards");

  const w = widget(page);
  const question = w.getByRole("group", { name: "How was your conversation?" });
  await expect(question).toBeHidden();
  await agent.close(id);
  await expect(question).toBeVisible();
  for (const name of ["Terrible", "Bad", "Okay", "Good", "Great"]) await expect(question.getByRole("button", { name, exact: true })).toBeVisible();

  // Choosing presses the button and moves to the optional comment.
  await question.getByRole("button", { name: "Good", exact: true }).click();
  await expect(question.getByRole("button", { name: "Good", exact: true })).toHaveAttribute("aria-pressed", "true");
  const comment = question.getByRole("textbox", { name: "Anything to add? (optional)" });
  await expect(comment).toBeFocused();
  await comment.fill('Quick <b>answer</b> & "kind"');
  await question.getByRole("button", { name: "Send rating" }).click();
  await expect(transcript(page).getByText("Thank you for your rating!")).toBeVisible();
  await expect(question).toBeHidden();

  // Live in the agent's timeline, the comment as text.
  const rated = inbox.locator(`#messages-${id} .conversation-event[data-type="rated"]`);
  await expect(rated).toContainText("The customer rated this conversation Good (4/5)");
  await expect(rated.locator(".rating-comment")).toHaveText('Quick <b>answer</b> & "kind"');
  await expect(rated.locator("b")).toHaveCount(0);

  // Not asked again for this episode, after a reload either.
  await page.reload();
  await page.getByRole("button", { name: "Open chat" }).click();
  await expect(transcript(page).getByText("Rate me afterwards")).toBeVisible();
  await expect(w.getByRole("group", { name: "How was your conversation?" })).toBeHidden();

  // Analytics counts it for the agent who had the conversation.
  await inbox.goto("/analytics");
  const csat = inbox.getByRole("region", { name: "Satisfaction (CSAT)" });
  await expect(csat).toContainText(/\d+% good \(\d+ of \d+ ratings? were Good or Great\)/);
  const agentRow = csat.getByRole("row", { name: new RegExp(`^${ADMIN.name}`) });
  await expect(agentRow).toBeVisible();
  const csv = await request.get(`/analytics/satisfaction-agents.csv`);
  expect(await csv.text()).toContain(ADMIN.name);
  await inbox.context().close();
  await request.dispose();
});
