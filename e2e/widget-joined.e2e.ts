// "Sam joined the chat" (issue 18 item 7): a lead who claims a conversation and at once hands it to
// Sam makes the customer read one line, for Sam; the agents' timeline keeps both steps.
import { expect, test } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { transcript, useShop } from "./support/widget-page.ts";

const shop = useShop();

test("a claim followed at once by an assignment to Sam: the customer is told of Sam only", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const lead = await signedInAgent(request, baseURL!);
  const origin = new URL(baseURL!).origin;
  // Sam joins the team through an invite, as a teammate would.
  const sam = `Sam ${crypto.randomUUID().slice(0, 6)}`;
  const invitePage = await (await request.post("/settings/agents/invites", { form: { email: `${sam.replace(" ", ".").toLowerCase()}@example.com`, role: "agent" }, headers: { origin } })).text();
  const link = invitePage.match(/id="invite-link"[^>]*value="([^"]+)"/)![1]!;
  const newcomer = await playwright.request.newContext({ baseURL });
  const joined = await newcomer.post(new URL(link).pathname, { form: { name: sam, password: ADMIN.password }, headers: { origin }, maxRedirects: 0 });
  expect(joined.status()).toBe(303);
  await newcomer.dispose();

  const text = `Who is with me? ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await lead.conversationWith(text))!;
  await lead.claim(id);
  const samId = (await lead.pane(id)).match(new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${sam}</option>`))![1]!;
  const assigned = await request.post(`/inbox/c/${id}/assign`, { form: { agentId: samId }, headers: { origin } });
  expect(assigned.status()).toBeLessThan(300);

  await expect(transcript(page).getByText(`${sam} joined the chat`)).toBeVisible({ timeout: 10_000 });
  // The lead's claim was told to nobody: Sam's line came after the moment in which it could have been.
  await expect(transcript(page).getByText(`${ADMIN.name} joined the chat`)).toHaveCount(0);
  await expect(transcript(page).getByText(/joined the chat/)).toHaveCount(1);
  // The agents' timeline is truthful: both steps are there.
  const pane = await lead.pane(id);
  expect(pane).toContain(`${ADMIN.name} claimed this`);
  expect(pane).toContain(`Assigned to ${sam} by`);
  await lead.close(id);
  await request.dispose();
});
