import { expect, test, type Browser, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { startHostPage } from "./support/host-page.ts";
import { signedInPage } from "./support/sign-in.ts";
import { snippetFor, waitInQueue } from "./support/widget-page.ts";

// A conversation becomes a ticket, is worked on, found in the list, and counted by analytics.

let host: Awaited<ReturnType<typeof startHostPage>>;

test.beforeAll(async ({ baseURL }) => {
  host = await startHostPage(new URL(baseURL!).origin);
});
test.afterAll(() => host?.close());

const agentPage = (browser: Browser, baseURL: string): Promise<Page> => signedInPage(browser, baseURL, ADMIN);

/** The analytics grid's count of tickets created in the last 7 days with this status and priority. */
async function analyticsCount(page: Page, status: string, priority: string): Promise<number> {
  await page.goto("/analytics?range=7");
  const figure = page.getByRole("region", { name: "Tickets created in these days, by status and priority" });
  if (!(await figure.count())) return 0; // "No tickets were created in these days."
  const columns = await figure.locator("thead th").allInnerTexts();
  const row = figure.locator("tbody tr").filter({ has: page.getByRole("rowheader", { name: status, exact: true }) });
  const cells = await row.locator("th, td").allInnerTexts();
  return Number(cells[columns.indexOf(priority)]!.replace(/\D/g, ""));
}

test("an agent turns a conversation into a ticket, changes it, finds it in the filtered list, a colleague's list follows live, and analytics counts it", async ({ page: customer, browser, playwright, baseURL }) => {
  test.setTimeout(60_000);
  const api = await signedInAgent(await playwright.request.newContext({ baseURL }), baseURL!);
  const snippet = snippetFor(new URL(baseURL!).origin, await api.defaultInboxKey());
  const agent = await agentPage(browser, baseURL!);
  const before = await analyticsCount(agent, "Pending", "Urgent");

  // A customer asks something that needs tracking; an agent takes the conversation.
  const word = `refund${crypto.randomUUID().slice(0, 8)}`;
  const question = `Please check my ${word} <b>order</b>`;
  await waitInQueue(customer, host, snippet, question);
  const conversation = (await api.conversationWith(word))!;
  await api.claim(conversation);

  // "Create ticket" in the conversation: the subject comes from the customer's first message.
  await agent.goto(`/inbox/c/${conversation}`);
  // A header this narrow keeps the ticket under "More".
  await agent.getByRole("button", { name: "More actions" }).click();
  await agent.getByRole("link", { name: "Create ticket" }).click();
  await expect(agent.getByRole("heading", { name: "New ticket" })).toBeVisible();
  await expect(agent.getByLabel("Subject")).toHaveValue(question);
  await agent.getByLabel("Priority").selectOption({ label: "High" });
  await agent.getByRole("button", { name: "Create ticket" }).click();
  await expect(agent).toHaveURL(/\/tickets\/\d+$/);
  const ticketUrl = agent.url();
  const number = ticketUrl.match(/(\d+)$/)![1]!;
  await expect(agent.getByRole("heading", { level: 1 })).toHaveText(`#${number} ${question}`);
  // The transcript is on the ticket, as text.
  await expect(agent.locator(".ticket-transcript").getByText(question)).toBeVisible();

  // The conversation now shows its ticket instead of the button.
  await agent.goto(`/inbox/c/${conversation}`);
  await agent.getByRole("button", { name: "More actions" }).click();
  await expect(agent.getByRole("link", { name: new RegExp(`^Ticket #${number}: .* — Open$`) })).toBeVisible();
  await expect(agent.getByRole("link", { name: "Create ticket" })).toHaveCount(0);

  // A colleague watches the list of pending tickets: it is not there yet.
  const colleague = await agentPage(browser, baseURL!);
  await colleague.goto(`/tickets?status=pending&q=${word}`);
  await expect(colleague.locator("#ticket-results")).toContainText("No tickets");
  await expect(colleague.locator("#live-status")).toHaveAttribute("data-state", "live");

  // The agent makes it pending and urgent; the history says who changed what.
  await agent.goto(ticketUrl);
  await agent.getByLabel("Status").selectOption({ label: "Pending" });
  await agent.getByLabel("Priority").selectOption({ label: "Urgent" });
  await agent.getByRole("button", { name: "Save changes" }).click();
  const history = agent.getByRole("region", { name: "History" }).or(agent.locator(".ticket-history"));
  await expect(history.getByText(`${ADMIN.name} changed the status from Open to Pending`)).toBeVisible();
  await expect(history.getByText(`${ADMIN.name} changed the priority from High to Urgent`)).toBeVisible();
  await agent.getByLabel("Add an internal comment").fill("Asked the warehouse <i>today</i>");
  await agent.getByRole("button", { name: "Add comment" }).click();
  await expect(agent.getByText("Asked the warehouse <i>today</i>")).toBeVisible();

  // The colleague's filtered list shows it live, without a reload.
  const liveRow = colleague.locator("#ticket-rows tr", { hasText: question });
  await expect(liveRow).toBeVisible();
  await expect(liveRow).toContainText("Pending");
  await expect(liveRow).toContainText("Urgent");

  // Found through the filters in the list, and gone when a filter no longer matches.
  await agent.goto("/tickets");
  await agent.getByLabel("Search").fill(word);
  await agent.getByLabel("Status").selectOption({ label: "Pending" });
  await agent.getByLabel("Priority").selectOption({ label: "Urgent" });
  await agent.getByLabel("Assignee").selectOption({ label: "Me" });
  await agent.getByLabel("Search").press("Enter");
  await expect(agent).toHaveURL(/status=pending/);
  await expect(agent).toHaveURL(/priority=urgent/);
  const row = agent.locator("#ticket-rows tr", { hasText: question });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText(`#${number}`);
  await agent.getByLabel("Priority").selectOption({ label: "Low" });
  await agent.getByLabel("Search").press("Enter");
  await expect(agent).toHaveURL(/priority=low/);
  await expect(agent.locator("#ticket-rows tr", { hasText: question })).toHaveCount(0);
  // The back button brings the matching list back.
  await agent.goBack();
  await expect(agent).toHaveURL(/priority=urgent/);
  await expect(agent.locator("#ticket-rows tr", { hasText: question })).toHaveCount(1);

  // Analytics counts it among the tickets created these days, pending and urgent.
  expect(await analyticsCount(agent, "Pending", "Urgent")).toBe(before + 1);

  await api.close(conversation);
  await agent.context().close();
  await colleague.context().close();
});

test("a colleague's lists follow the server's rules live: words in any order, no piece of a word, the sort order, and a change moves a ticket out", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!);
  const origin = new URL(baseURL!).origin;
  /** A ticket without a conversation, as "New ticket" makes it; its number. */
  const create = async (subject: string, priority: string) => {
    const form = { conversationId: "", subject, description: "", priority, assigneeId: "", status: "open" };
    const res = await request.post("/tickets", { form, headers: { origin }, maxRedirects: 0 });
    expect(res.status()).toBe(303);
    return res.headers().location!.match(/(\d+)$/)![1]!;
  };
  const rowsOf = (page: Page) => page.locator("#ticket-rows tr.ticket-row .ticket-subject");

  // Two lists: one searching two words in the other order than the subject has them (the browser
  // used to look for the search as one piece of text, and missed it), one searching a piece inside
  // a word (which the browser used to find, and the server does not).
  const r = `k${crypto.randomUUID().slice(0, 8)}`;
  const [first, second] = [`alpha${r}`, `beta${r}`];
  const byWords = await agentPage(browser, baseURL!);
  await byWords.goto(`/tickets?q=${second}+${first}&sort=priority`);
  const byPiece = await agentPage(browser, baseURL!);
  await byPiece.goto(`/tickets?q=${r}`);
  for (const page of [byWords, byPiece]) {
    await expect(page.locator("#ticket-results")).toContainText("No tickets");
    await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  }

  const normal = await create(`Printer ${first} and ${second}`, "normal");
  await expect(rowsOf(byWords)).toHaveText([`Printer ${first} and ${second}`]);
  await expect(byWords.locator("#ticket-count")).toHaveText("1 ticket");
  // Sorted by priority: an urgent one comes first.
  await create(`${second} ${first} urgent`, "urgent");
  await expect(rowsOf(byWords)).toHaveText([`${second} ${first} urgent`, `Printer ${first} and ${second}`]);

  // A ticket whose word starts with the piece reaches the other list: by then the two before had
  // been pushed to it as well, and they are not there.
  await create(`${r}x scanner`, "low");
  await expect(rowsOf(byPiece)).toHaveText([`${r}x scanner`]);
  // Rows the list brought show relative times like the rest.
  await expect(byWords.locator("#ticket-rows .ticket-cell-updated").first()).toHaveText("just now");

  // The colleague opens the first ticket and starts changing its status.
  const ticketPage = byPiece;
  await ticketPage.goto(`/tickets/${normal}`);
  await expect(ticketPage.locator("#live-status")).toHaveAttribute("data-state", "live");
  await ticketPage.getByLabel("Status").selectOption({ label: "Solved" });

  // Closed and made urgent meanwhile: out of the list of tickets that are not closed; on the
  // ticket's page the untouched priority follows, and the status being changed is kept, with a
  // word about it.
  const form = { status: "closed", wasStatus: "open", priority: "urgent", wasPriority: "normal" };
  const res = await request.post(`/tickets/${normal}`, { form, headers: { origin }, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  await expect(rowsOf(byWords)).toHaveText([`${second} ${first} urgent`]);
  await expect(byWords.locator("#ticket-count")).toHaveText("1 ticket");
  await expect(ticketPage.locator(".ticket-facts")).toContainText("Closed");
  await expect(ticketPage.getByLabel("Priority")).toHaveValue("urgent");
  await expect(ticketPage.getByLabel("Status")).toHaveValue("solved");
  await expect(ticketPage.locator(".ticket-props-notice")).toContainText("A colleague changed this ticket while you were editing it");

  await request.dispose();
  await byWords.context().close();
  await byPiece.context().close();
});
