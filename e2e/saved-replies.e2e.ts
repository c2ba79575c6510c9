// Saved replies as an agent uses them: made in Settings, then in a conversation `/` and part of
// the shortcut open the list "Saved replies", the keyboard picks one, its text arrives in the
// reply field with the customer's name filled in, ready to edit, and Enter then sends it.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { identityHash } from "../src/widget/identity.ts";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

/** axe-core's violations on the page as it is now, one line per rule and element. */
async function violations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`));
}

/** A signed-in customer of the shop, named Kim, who asks for a human over the widget API. */
async function namedCustomer(request: APIRequestContext, api: Awaited<ReturnType<typeof signedInAgent>>, text: string) {
  const id = `kim-${crypto.randomUUID()}`;
  const user = { id, hash: identityHash(await api.identitySecret(), id), name: "Kim Lee" };
  const session = await request.post("/api/v1/widget/session", { data: { inbox: await api.defaultInboxKey(), user } });
  expect(session.status()).toBe(200);
  const auth = { authorization: `Bearer ${(await session.json()).token}` };
  await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: text }, headers: auth });
  await request.post("/api/v1/widget/handoff", { headers: auth });
  return {
    async agentTexts(): Promise<string[]> {
      const { messages } = await (await request.get("/api/v1/widget/messages", { headers: auth })).json();
      return (messages as Array<{ sender: string; body: string }>).filter((m) => m.sender === "agent").map((m) => m.body);
    },
  };
}

test("an agent makes a saved reply in Settings, inserts it with / and the keyboard, edits it and sends it", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const question = `Where is my parcel? ${crypto.randomUUID()}`;
  const kim = await namedCustomer(request, api, question);
  const id = (await api.conversationWith(question))!;
  await api.claim(id);
  const suffix = crypto.randomUUID().slice(0, 6);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  try {
    // Settings: two replies whose shortcuts start alike, so that the keyboard has to choose.
    await agent.goto("/settings");
    await agent.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Saved replies" }).click();
    // A refused form: what was typed stays, the error is tied to its field, and the page passes axe-core.
    await agent.getByLabel("Name").fill("Half done");
    await agent.getByRole("button", { name: "Add reply" }).click();
    await expect(agent.getByLabel("Shortcut")).toHaveAttribute("aria-invalid", "true");
    await expect(agent.getByLabel("Shortcut")).toBeFocused();
    await expect(agent.getByLabel("Name")).toHaveValue("Half done");
    expect(await violations(agent)).toEqual([]);
    for (const [name, shortcut, text] of [
      ["Parcel: on its way", `parcel-way-${suffix}`, "Hi {{contact.name}}, your parcel is on its way."],
      ["Parcel: tracking", `parcel-track-${suffix}`, "Hi {{contact.name}}, here is your tracking link. — {{agent.name}}"],
    ]) {
      await agent.getByLabel("Name").fill(name!);
      await agent.getByLabel("Shortcut").fill(shortcut!);
      await agent.getByLabel("Text", { exact: true }).fill(text!);
      await agent.getByRole("button", { name: "Add reply" }).click();
      await expect(agent.getByRole("status").filter({ hasText: "The saved reply was added." })).toBeVisible();
      await expect(agent.getByRole("cell", { name: `/${shortcut}`, exact: true })).toBeVisible();
    }

    await agent.goto(`/inbox/c/${id}`);
    await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
    const field = agent.getByRole("textbox", { name: "Reply" });
    const list = agent.getByRole("listbox", { name: "Saved replies" });
    const transcript = agent.locator(`#messages-${id}`);
    await field.click();
    // `/` mid-word is text; `/` after a space opens the list, filtered as one types.
    await field.pressSequentially("and/or ");
    await expect(field).toHaveValue("and/or ");
    await expect(list).toBeHidden();
    await field.fill("");
    // Fuzzy: the letters in order ("prcl" for "parcel-...").
    await field.pressSequentially("/prcl");
    await expect(list).toBeVisible();
    // The field controls the list; a status says it opened (ARIA allows no aria-expanded on a text field).
    await expect(field).toHaveAttribute("aria-controls", (await list.getAttribute("id"))!);
    await expect(agent.locator(`#saved-replies-${id}-status`)).toHaveText(/^Saved replies: 2\./);
    const options = list.getByRole("option");
    await expect(options).toHaveCount(2);
    // The list is busy until the one for the latest query is in (answers to earlier ones may come first).
    await field.pressSequentially("tr");
    await expect(list).not.toHaveAttribute("aria-busy", "true");
    await expect(options).toHaveCount(1);
    await expect(options.first()).toContainText(`/parcel-track-${suffix}`);
    await field.press("Backspace");
    await field.press("Backspace");
    await expect(list).not.toHaveAttribute("aria-busy", "true");
    await expect(options).toHaveCount(2);
    // The first option is active; ArrowDown moves to the second, and the field says which.
    await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
    await field.press("ArrowDown");
    await expect(options.nth(1)).toHaveAttribute("aria-selected", "true");
    await expect(field).toHaveAttribute("aria-activedescendant", (await options.nth(1).getAttribute("id"))!);
    await field.press("ArrowUp");
    await expect(options.nth(0)).toHaveAttribute("aria-selected", "true");
    // With the list open the page passes axe-core, as every page does (e2e/pages-accessibility.e2e.ts).
    expect(await violations(agent)).toEqual([]);
    await field.press("ArrowDown");
    const chosen = (await options.nth(1).textContent()) ?? "";
    // Enter inserts (and does not send): the text, filled in for Kim and this agent.
    await field.press("Enter");
    const filled = `Hi Kim Lee, here is your tracking link. — ${ADMIN.name}`;
    expect(chosen).toContain(`/parcel-track-${suffix}`);
    await expect(field).toHaveValue(filled);
    await expect(list).toBeHidden();
    await expect(field).not.toHaveAttribute("aria-activedescendant");
    await expect(transcript.getByText(filled)).toHaveCount(0);

    // Escape closes a list without inserting anything.
    await field.pressSequentially(" /parcel");
    await expect(list).toBeVisible();
    await field.press("Escape");
    await expect(list).toBeHidden();
    await expect(field).toHaveValue(`${filled} /parcel`);
    // Ready to edit: the agent replaces the leftover and sends with Enter.
    for (let i = 0; i < " /parcel".length; i++) await field.press("Backspace");
    await field.pressSequentially(" Anything else?");
    await expect(list).toBeHidden();
    await field.press("Enter");
    const sent = `${filled} Anything else?`;
    await expect(transcript.getByText(sent)).toBeVisible();
    await expect(field).toHaveValue("");
    await expect.poll(() => kim.agentTexts()).toContain(sent);

    // Enter pressed before the list has arrived means its best match, and sends nothing either.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await agent.route(/\/saved-replies\?/, async (route) => {
      await held;
      await route.continue().catch(() => {}); // the field's earlier questions were cancelled
    });
    await field.pressSequentially("/prcltr");
    await field.press("Enter");
    release();
    await expect(field).toHaveValue(filled);
    await expect(transcript.getByText(filled, { exact: true })).toHaveCount(0);
  } finally {
    await api.close(id);
    await agent.context().close();
    await request.dispose();
  }
});
