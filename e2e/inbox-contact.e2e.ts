import { expect, test } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";
import { useShop } from "./support/widget-page.ts";

// The inbox header says what customers see of the team, and the contact panel lets agents say who
// a visitor is (issue 18, items 2 and 11).

const shop = useShop();

test("the header shows the team's state, not the socket's: '1 online', then 'Nobody online' while Away", async ({ browser, baseURL }) => {
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  await expect(agent.locator("#live-status")).toBeHidden();
  const team = agent.locator("#team-status");
  await expect(team).toHaveText("1 online");
  await agent.getByLabel("Availability").selectOption("away");
  await expect(team).toHaveText("Nobody online — customers see you as away");
  await agent.getByLabel("Availability").selectOption("online");
  await expect(team).toHaveText("1 online");
  await agent.context().close();
});

test("an agent edits a visitor's name, email and notes; a refusal says why; a colleague viewing it sees the change live", async ({ page: customer, browser, baseURL }) => {
  const text = `Who am I ${crypto.randomUUID().slice(0, 8)}`;
  await shop.waitInQueue(customer, text);
  const agent = await signedInPage(browser, baseURL!, ADMIN);
  const colleague = await signedInPage(browser, baseURL!, ADMIN);
  const api = await signedInAgent(agent.context().request, baseURL!);
  const id = (await api.conversationWith(text))!;
  for (const page of [agent, colleague]) {
    await page.goto(`/inbox/c/${id}`);
    await expect(page.locator("#live-status")).toHaveAttribute("data-state", "live");
  }
  const title = agent.locator(`#conversation-title-${id}`);
  await expect(title).toHaveText(/^Visitor \d{4}$/);
  await expect(agent.locator(`#conv-row-${id} .row-name`)).toHaveText((await title.textContent())!);

  const panel = agent.locator(`#contact-${id}`);
  await panel.getByText("Edit contact").click();
  await panel.getByLabel("Email").fill("not an address");
  await panel.getByRole("button", { name: "Save contact" }).click();
  await expect(panel.getByText("Enter an email address like sam@example.com, or leave it empty.")).toBeVisible();
  await expect(panel.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");

  await panel.getByLabel("Name").fill("Rita Example");
  await panel.getByLabel("Email").fill("rita@example.com");
  await panel.getByLabel("Notes").fill("Prefers email.\nOrder 42.");
  await panel.getByRole("button", { name: "Save contact" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(title).toHaveText("Rita Example");
  await expect(agent.locator(`#conv-row-${id} .row-name`)).toHaveText("Rita Example");
  // The colleague's pane follows without a reload.
  await expect(colleague.locator(`#contact-${id} .contact-notes`)).toHaveText("Prefers email.\nOrder 42.");
  await expect(colleague.locator(`#conversation-title-${id}`)).toHaveText("Rita Example");

  await api.close(id);
  await colleague.context().close();
  await agent.context().close();
});
