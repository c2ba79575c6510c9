import { expect, type Browser, type Page } from "@playwright/test";

/** Signs in through the login form, as a person would, and waits for the inbox. */
export async function signInThroughPage(page: Page, who: { email: string; password: string }): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/inbox/);
}

/** A page in a browser context of its own (its own cookies), signed in as `who`. */
export async function signedInPage(browser: Browser, baseURL: string, who: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext({ baseURL })).newPage();
  await signInThroughPage(page, who);
  return page;
}
