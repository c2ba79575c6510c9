// Private notes as agents use them: Ana switches the composer to "Private note", mentions Bea
// from the `@` list with the keyboard and saves; Bea, in another browser, sees her notifications
// menu count it live and opens the note from it; the customer's widget never shows it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, invitedTeammate, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { transcript, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

/** axe-core's violations on the page as it is now, one line per rule and element. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}
const BEA = { name: "Bea Notes", email: `bea.${Date.now()}@example.com`, password: "another long password" };

test("a note mentioning a teammate reaches her notifications live and never the widget", async ({ page: customer, browser, baseURL, playwright }) => {
  const question = `Is my order shipped? ${crypto.randomUUID()}`;
  await shop.waitInQueue(customer, question);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const id = (await api.conversationWith(question))!;
  await api.claim(id);
  const ana = await signedInPage(browser, baseURL!, ADMIN);
  const bea = await invitedTeammate(browser, baseURL!, ana, BEA);
  try {
    await expect(bea.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();

    // What Ana's page tells the server over its socket: typing a note must not say "typing" to the customer.
    const sent: string[] = [];
    ana.on("websocket", (ws) => ws.on("framesent", (frame) => sent.push(String(frame.payload))));
    const typingOn = () => sent.filter((f) => f.includes('"typing"') && f.includes('"on":true'));
    await ana.goto(`/inbox/c/${id}`);
    await expect(ana.locator("#live-status")).toHaveAttribute("data-state", "live");
    const toggle = ana.getByRole("button", { name: "Private note" });
    await toggle.click();
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    const field = ana.getByRole("textbox", { name: "Reply" });
    await expect(field).toBeFocused();
    await field.pressSequentially("Refund ok? @be");
    const list = ana.getByRole("listbox", { name: "Mention a teammate" });
    await expect(list).toBeVisible();
    await expect(list.getByRole("option", { name: BEA.name })).toHaveAttribute("aria-selected", "true");
    await expect(field).toHaveAttribute("aria-controls", (await list.getAttribute("id"))!);
    expect(await violations(ana)).toEqual([]);
    await field.press("Enter");
    await expect(list).toBeHidden();
    await expect(field).toHaveValue(`Refund ok? @${BEA.name} `);
    await field.pressSequentially("<b>thanks</b>");
    await field.press("Enter");
    const note = ana.locator(`#messages-${id} .note`);
    await expect(note).toContainText("Private note");
    await expect(note).toContainText(`Refund ok? @${BEA.name} <b>thanks</b>`);
    await expect(field).toHaveValue("");
    // Still a note: the next thing typed is not sent to the customer by surprise.
    await expect(ana.getByRole("button", { name: "Private note" })).toHaveAttribute("aria-pressed", "true");

    // Bea hears it live; Settings shows the same count (the menu is in every page's header).
    await expect(bea.getByRole("button", { name: "Notifications (1)" })).toBeVisible();
    await bea.goto("/settings/profile");
    await expect(bea.getByRole("button", { name: "Notifications (1)" })).toBeVisible();
    await bea.goto("/inbox");
    // She opens the menu and the note from it; then it is read.
    const button = bea.getByRole("button", { name: "Notifications (1)" });
    await expect(button).toBeVisible();
    await button.click();
    const mention = bea.getByRole("link", { name: new RegExp(`${ADMIN.name} mentioned you`) });
    await expect(mention).toBeVisible();
    expect(await violations(bea)).toEqual([]);
    await mention.click();
    await expect(bea).toHaveURL(new RegExp(`/inbox/c/${id}$`));
    await expect(bea.locator(`#messages-${id} .note`)).toContainText("<b>thanks</b>");
    await expect(bea.getByRole("button", { name: "Notifications", exact: true })).toBeVisible();

    // Ana switches back (Alt+N in the field) and replies: the reply reaches the widget, the note never does.
    await field.press("Alt+KeyN");
    await expect(ana.getByRole("button", { name: "Private note" })).toHaveAttribute("aria-pressed", "false");
    await field.fill("We are on it.");
    // The customer sees Ana typing her reply: the first "typing" her page sent, none for the note.
    await expect(widget(customer).getByText(`${ADMIN.name} is typing…`)).toBeVisible();
    expect(typingOn()).toHaveLength(1);
    await field.press("Enter");
    await expect(transcript(customer).getByText("We are on it.")).toBeVisible();
    await expect(transcript(customer).getByText(/Refund ok/)).toHaveCount(0);
  } finally {
    await bea.context().close();
    await ana.context().close();
    // Closed: later specs expect an empty queue ("You are number 1").
    await api.close(id);
    await request.dispose();
  }
});
