import AxeBuilder from "@axe-core/playwright";
import { customerAsks } from "./support/widget-page.ts";
import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN, signedInAgent } from "./support/agent-api.ts";
import { signedInPage } from "./support/sign-in.ts";

// The conversation header keeps its actions on one line: wide, all of them inline; narrow, the
// everyday verbs and Labels inline and the rest in a "More actions" menu, reachable by mouse and
// keyboard. Unassign is a button of its own, and its Undo gives the conversation back.

async function expectAccessible(page: Page, selector: string) {
  const results = await new AxeBuilder({ page }).include(selector).analyze();
  expect(results.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(" ")}`))).toEqual([]);
}

/** Nothing sticks out of the header, and the shown controls of its action line sit on one line, side by side. */
async function expectOneLine(header: Locator) {
  const fits = await header.evaluate((el) => el.scrollWidth <= el.clientWidth);
  expect(fits, "the header overflows sideways").toBe(true);
  const boxes = await header.evaluate((el) =>
    Array.from(el.querySelectorAll(".conversation-actions > *, .conversation-labels > *, .conversation-more > *, .more-actions-button"))
      .filter((c) => (c as HTMLElement).checkVisibility() && !c.closest(":popover-open"))
      .map((c) => c.getBoundingClientRect())
      .map((r) => ({ left: r.left, right: r.right, middle: Math.round(r.top + r.height / 2) }))
      .sort((a, b) => a.left - b.left),
  );
  const middles = boxes.map((b) => b.middle);
  expect(Math.max(...middles) - Math.min(...middles), `action centres at ${middles.join(", ")}`).toBeLessThanOrEqual(4);
  const overlaps = boxes.slice(1).filter((b, i) => b.left < boxes[i]!.right - 0.5);
  expect(overlaps, "actions overlap").toEqual([]);
}

test("wide, every action is inline on one line; narrow, the rest is a More actions menu; Unassign can be undone", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const api = await signedInAgent(request, baseURL!);
  const tag = crypto.randomUUID().slice(0, 6);
  await customerAsks(request, await api.defaultInboxKey(), `header ${tag}`);
  const id = (await api.conversationWith(`header ${tag}`))!;

  const agent = await signedInPage(browser, baseURL!, ADMIN);
  await agent.setViewportSize({ width: 1920, height: 900 });
  await agent.goto(`/inbox/c/${id}`);
  await expect(agent.locator("#live-status")).toHaveAttribute("data-state", "live");
  const header = agent.locator(`#conversation-${id} .conversation-header`);
  const more = agent.locator(`#more-actions-${id}`);
  const moreButton = header.getByRole("button", { name: "More actions" });

  // Wide: no menu, everything in view on the action line.
  await expect(moreButton).toBeHidden();
  for (const name of ["Claim", "Close", "Assign", "Labels"]) await expect(header.getByRole("button", { name, exact: true })).toBeVisible();
  await expect(header.getByText("Snooze", { exact: true })).toBeVisible();
  await expect(header.getByRole("link", { name: "Create ticket" })).toBeVisible();
  await expectOneLine(header);
  await expectAccessible(agent, `#conversation-${id} .conversation-header`);

  // Unassign is a button of its own, there once someone has it; its Undo gives it back.
  await header.getByRole("button", { name: "Claim" }).click();
  await expect(header.getByRole("status").first()).toHaveText(`Assigned to ${ADMIN.name}`);
  await header.getByRole("button", { name: "Unassign" }).click();
  await expect(header.locator(".conversation-status")).toHaveText(/^Waiting in the queue/);
  const notice = agent.locator(`#conv-notice-${id}`);
  await expect(notice).toContainText(`Unassigned from ${ADMIN.name}.`);
  await expect(notice.getByRole("button", { name: "Undo" })).toBeFocused();
  await expectOneLine(header);
  await notice.getByRole("button", { name: "Undo" }).click();
  await expect(header.locator(".conversation-status")).toHaveText(`Assigned to ${ADMIN.name}`);
  await expect(notice).toBeEmpty();

  // Narrow (the pane beside the list and the contact panel): the everyday verbs and "More".
  await agent.setViewportSize({ width: 1280, height: 800 });
  await expect(moreButton).toBeVisible();
  await expect(header.getByRole("button", { name: "Close" })).toBeVisible();
  await expect(more.getByRole("button", { name: "Assign" })).toBeHidden();
  await expectOneLine(header);
  await expectAccessible(agent, `#conversation-${id} .conversation-header`);

  // By keyboard: the menu opens on Enter with every other action in view, and Escape closes it.
  await moreButton.focus();
  await agent.keyboard.press("Enter");
  for (const name of ["Unassign", "Assign"]) await expect(more.getByRole("button", { name, exact: true })).toBeInViewport();
  await expect(header.getByRole("button", { name: "Labels", exact: true })).toBeInViewport();
  await expect(more.getByRole("link", { name: "Create ticket" })).toBeInViewport();
  await expect(more.getByLabel("Assign to")).toBeInViewport();
  await expectAccessible(agent, `#conversation-${id} .conversation-header`);
  await agent.keyboard.press("Escape");
  await expect(more).toBeHidden();
  await expect(moreButton).toBeFocused();

  // Labels stays beside the everyday verbs: its key opens its menu, Escape gives the focus back.
  await agent.locator("body").press("l");
  await expect(agent.locator(`#labels-menu-${id}`)).toBeVisible();
  await agent.keyboard.press("Escape");
  await expect(header.getByRole("button", { name: "Labels", exact: true })).toBeFocused();

  // A phone-wide header: still one line, nothing sticks out, and the menu holds the rest.
  await agent.setViewportSize({ width: 390, height: 844 });
  await expectOneLine(header);
  await moreButton.click();
  await more.getByRole("button", { name: "Unassign" }).click();
  await expect(notice.getByRole("button", { name: "Undo" })).toBeVisible();
  await expectOneLine(header);

  await api.close(id);
  await agent.context().close(); // an inbox left open keeps an agent online for later specs
});
