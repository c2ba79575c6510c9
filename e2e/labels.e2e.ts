import AxeBuilder from "@axe-core/playwright";
import { customerAsks } from "./support/widget-page.ts";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

// Labels from end to end: an admin makes two in Settings, puts one on a conversation with the
// conversation's "Labels" control (and its key), and the list filtered by it shows that
// conversation and not another.

/** No axe-core violations on the page as it is now. */
async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
}

async function createLabel(page: Page, name: string, color: string) {
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Colour", { exact: true }).fill(color);
  await page.getByRole("button", { name: "Create label" }).click();
  await expect(page.getByRole("status")).toHaveText("Label created. Agents can put it on conversations now.");
}

test("an admin makes two labels, puts one on a conversation from its pane, and the list filtered by it shows that conversation only", async ({ browser, playwright, baseURL }) => {
  test.setTimeout(60_000);
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const key = await api.defaultInboxKey();
  const tag = crypto.randomUUID().slice(0, 6);
  await customerAsks(request, key, `labelled ${tag}`);
  await customerAsks(request, key, `other ${tag}`);
  const labelled = (await api.conversationWith(`labelled ${tag}`))!;
  const other = (await api.conversationWith(`other ${tag}`))!;
  const [billing, bug] = [`Billing ${tag}`, `Bug ${tag}`];

  // Settings → Labels: two labels, each shown as a chip.
  const admin = await signedInPage(browser, baseURL!, ADMIN);
  await admin.goto("/settings");
  await admin.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Labels" }).click();
  await expect(admin.getByRole("heading", { name: "Labels", level: 2 })).toBeVisible();
  await createLabel(admin, billing, "#fde047");
  await createLabel(admin, bug, "#b42318");
  const list = admin.getByRole("list", { name: "Labels" });
  await expect(list.locator(".label-chip", { hasText: billing })).toBeVisible();
  await expect(list.locator(".label-chip", { hasText: bug })).toBeVisible();
  // A name taken (whatever its case) comes back with what was typed and why.
  await admin.getByLabel("Name", { exact: true }).fill(billing.toUpperCase());
  await admin.getByRole("button", { name: "Create label" }).click();
  await expect(admin.getByText(`A label named “${billing.toUpperCase()}” exists already`)).toBeVisible();
  await expect(admin.getByLabel("Name", { exact: true })).toHaveValue(billing.toUpperCase());
  await expectAccessible(admin);

  // The conversation's "Labels" control: its key opens the menu on the first choice, Escape closes it.
  await admin.goto(`/inbox/c/${labelled}`);
  await expect(admin.locator("#live-status")).toHaveAttribute("data-state", "live");
  const control = admin.getByRole("button", { name: "Labels", exact: true });
  await expect(control).toHaveAccessibleDescription("No labels");
  await admin.keyboard.press("l");
  const menu = admin.locator(`#labels-menu-${labelled}`);
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("checkbox").first()).toBeFocused();
  await admin.keyboard.press("Escape");
  await expect(menu).toBeHidden();
  await expect(control).toBeFocused();

  // Ticked with the mouse: saved at once, shown as a chip beside the control and on the list's row.
  await control.click();
  await menu.getByRole("checkbox", { name: billing }).check();
  await expect(control).toHaveAccessibleDescription(billing);
  await expect(menu.getByRole("checkbox", { name: billing })).toBeChecked();
  await expect(menu.getByRole("checkbox", { name: bug })).not.toBeChecked();
  await expectAccessible(admin);
  await menu.getByRole("button", { name: "Done" }).click();
  await expect(menu).toBeHidden();
  await admin.reload();
  await expect(admin.getByRole("button", { name: "Labels", exact: true })).toHaveAccessibleDescription(billing);

  // Renamed in another tab while this pane is open: the chip follows live, and the menu, opened, lists the new name.
  const settings = await admin.context().newPage();
  await settings.goto("/settings/labels");
  await settings.getByLabel(`Name of ${billing}`, { exact: true }).fill(`Invoices ${tag}`);
  await settings.getByRole("button", { name: `Save ${billing}`, exact: true }).click();
  await expect(settings.getByRole("button", { name: `Save Invoices ${tag}`, exact: true })).toBeVisible();
  await settings.close();
  await expect(admin.getByRole("button", { name: "Labels", exact: true })).toHaveAccessibleDescription(`Invoices ${tag}`);
  await admin.getByRole("button", { name: "Labels", exact: true }).click();
  await expect(menu.getByRole("checkbox", { name: `Invoices ${tag}` })).toBeChecked();
  await menu.getByRole("button", { name: "Done" }).click();
  await admin.reload(); // the list's label filter is drawn with the page

  // The list filtered by that label: in the URL, with that conversation and not the other.
  await admin.getByLabel("Label", { exact: true }).selectOption({ label: `Invoices ${tag}` });
  await expect(admin).toHaveURL(/[?&]label=[0-9a-f-]{36}/);
  const rows = admin.locator("#conv-list");
  await expect(rows.locator(`#conv-row-${labelled}`)).toBeVisible();
  await expect(rows.locator(`#conv-row-${labelled} .row-labels`)).toContainText(`Invoices ${tag}`);
  await expect(rows.locator(`#conv-row-${other}`)).toHaveCount(0);
  await expect(rows.locator("li.conversation-row")).toHaveCount(1);
  await expectAccessible(admin);

  // By the other label: nothing; back to all labels: both.
  await admin.getByLabel("Label", { exact: true }).selectOption({ label: bug });
  await expect(rows).toContainText("No conversation in this tab has this label.");
  await admin.getByLabel("Label", { exact: true }).selectOption({ label: "All labels" });
  await expect(rows.locator(`#conv-row-${other}`)).toBeVisible();
  // Closed: later specs expect an empty queue ("You are number 1").
  for (const id of [labelled, other]) await api.close(id);
  await admin.context().close(); // an inbox left open keeps an agent online for later specs
  await request.dispose();
});
