// Round-robin as a team notices it: with two agents online and a limit of two open conversations
// each, five customers asking for a person give each agent two, in their "Mine" list, live; the
// fifth waits as number 1 in the queue, and goes to the first agent who has room again. A
// SupportDesk of its own: the inbox's assignment settings change.
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, invitedTeammate, signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { E2E_PORT, startOwnInstance } from "./support/own-instance.ts";
import { signedInPage } from "./support/sign-in.ts";
import { customerAsks, launcher, snippetFor, typeMessage, messageField, widget } from "./support/widget-page.ts";

const PORT = E2E_PORT + 13;
const BASE = `http://127.0.0.1:${PORT}`;
const BEA = { name: "Bea Agent", email: "bea@example.com", password: "another long password" };

let server: Awaited<ReturnType<typeof startOwnInstance>> | undefined;
let host: Awaited<ReturnType<typeof startHostPage>> | undefined;

test.use({ baseURL: BASE });
test.beforeAll(async () => {
  server = await startOwnInstance(PORT);
  host = await startHostPage(BASE, E2E_PORT + 14);
});
test.afterAll(async () => {
  await host?.close();
  await server?.stop();
});

/** The rows of an agent's "Mine" tab, as their open page shows them. */
const mine = (page: Page) => page.locator("#conv-list [id^=conv-row-]");

test("five new conversations over two online agents with a limit of two: two each, the fifth waits and goes to whoever has room", async ({ browser, page: customer, playwright }) => {
  test.setTimeout(120_000);
  const request = await playwright.request.newContext({ baseURL: BASE });
  const api = await signedInAgent(request, BASE);
  const ana = await signedInPage(browser, BASE, ADMIN);
  const bea = await invitedTeammate(browser, BASE, ana, BEA);

  // Settings → the inbox: round-robin, two open conversations per agent.
  await ana.goto("/settings");
  await ana.getByRole("link", { name: /^Edit / }).first().click();
  await ana.getByRole("radio", { name: "Round-robin" }).check();
  await ana.getByLabel("Open conversations per agent (round-robin)").fill("2");
  await ana.getByRole("button", { name: "Save changes" }).click();
  await expect(ana.getByText(/^Saved\./)).toBeVisible();

  // Both on their "Mine" list, live (which is also what makes them online for round-robin).
  for (const agent of [ana, bea]) {
    await agent.goto("/inbox?tab=mine");
    await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
    await expect(mine(agent)).toHaveCount(0);
  }

  const inboxKey = await api.defaultInboxKey();
  const tag = crypto.randomUUID().slice(0, 6);
  for (let i = 1; i <= 4; i++) await customerAsks(request, inboxKey, `round ${i} ${tag}`);
  await expect(mine(ana)).toHaveCount(2);
  await expect(mine(bea)).toHaveCount(2);

  // The fifth, in the widget: both agents are full, so they wait, and their place is true.
  host!.set({ snippet: snippetFor(BASE, inboxKey) });
  await customer.goto(host!.url);
  await launcher(customer).click();
  await typeMessage(customer, `round 5 ${tag}`);
  await messageField(customer).press("Enter");
  await widget(customer).getByRole("button", { name: "Talk to a human" }).click();
  await expect(widget(customer).getByText("You are number 1 in the queue")).toBeVisible();
  const fifth = (await api.conversationWith(`round 5 ${tag}`))!;
  expect(await api.tab("queue")).toEqual([fifth]);
  await expect(mine(ana)).toHaveCount(2);
  await expect(mine(bea)).toHaveCount(2);

  // Bea closes one of hers: the fifth is hers now, and leaves the queue.
  const beasFirst = mine(bea).first();
  const closedId = (await beasFirst.getAttribute("id"))!.replace("conv-row-", "");
  await api.close(closedId);
  await expect(widget(customer).getByText(/in the queue/)).toBeHidden();
  await expect(mine(bea)).toHaveCount(2);
  await expect(bea.locator(`#conv-list #conv-row-${fifth}`)).toBeVisible();
  expect(await api.tab("queue")).toHaveLength(0);

  for (const id of await api.tab("open")) await api.close(id);
  await ana.context().close();
  await bea.context().close();
  await request.dispose();
});
