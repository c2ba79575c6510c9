// The loader and the SDK a website calls (public/widget.d.ts): what the binary serves, queued calls,
// boot options and events, the saved look, identify.
import { expect, test } from "@playwright/test";
import { SignJWT } from "jose";
import { createHmac } from "node:crypto";
import { readFile } from "node:fs/promises";
import { signedInAgent } from "./support/agent-api.ts";
import { installSdkStub, launcher, messageField, sdk, sdkEvents, transcript, typeMessage, useShop, widget } from "./support/widget-page.ts";

const shop = useShop();

test("the binary serves the loader minified (scripts/build.ts), with its strings and stylesheet in", async ({ request }) => {
  const served = await (await request.get("/widget.js")).text();
  const source = await readFile(new URL("../public/widget.js", import.meta.url), "utf8");
  expect(served.length).toBeLessThan(source.length * 0.75);
  expect(served).not.toContain("Calls made before <body> exists");
  expect(served).toContain("Open chat");
  expect(served).toContain(":host(.left)");
});

test("the SDK: calls queued before the loader arrives, German, showNewMessage, events, shutdown", async ({ page }) => {
  // The stub sites paste before the loader; the page's own scripts call it at once.
  await installSdkStub(page, [["boot", { inbox: shop.inboxKey, locale: "de" }], ["on", "open"], ["on", "close"]]);
  shop.host.set({ snippet: `<script src="${shop.widgetOrigin}/widget.js" async></script>` });
  await page.goto(shop.host.url);

  await expect(page.getByRole("button", { name: "Chat öffnen" })).toBeVisible();
  await sdk(page, "showNewMessage", "Ich brauche Hilfe");
  await expect(widget(page).getByRole("textbox", { name: "Nachricht", exact: true })).toHaveValue("Ich brauche Hilfe");
  await expect(page.getByRole("button", { name: "Chat schließen" })).toBeVisible();
  await sdk(page, "close");
  await expect(page.getByRole("button", { name: "Chat öffnen" })).toBeVisible();
  await sdk(page, "toggle");
  await expect(page.getByRole("button", { name: "Chat schließen" })).toBeVisible();
  expect(await sdkEvents(page)).toEqual(["open", "close", "open"]);
  await sdk(page, "shutdown");
  await expect(page.getByRole("button", { name: /Chat/ })).toHaveCount(0);
  await expect(page.locator('iframe[src*="/embed/widget"]')).toHaveCount(0);
});

test("boot options and events: on the left, in the brand colour; ready, message and unreadCountChange reach the page", async ({ page, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  await installSdkStub(page, [
    ["boot", { inbox: shop.inboxKey, position: "left", color: "#0f766e" }],
    ["on", "ready"],
    ["on", "message"],
    ["on", "unreadCountChange", "unread"],
  ]);
  shop.host.set({ snippet: `<script src="${shop.widgetOrigin}/widget.js" async></script>` });
  await page.goto(shop.host.url);
  const button = page.getByRole("button", { name: "Open chat" });
  await expect(button).toHaveCSS("background-color", "rgb(15, 118, 110)");
  const box = (await button.boundingBox())!;
  expect(box.x).toBeLessThan(100);

  const text = `Events test ${crypto.randomUUID()}`;
  await button.click();
  // The chat's header takes the colour given to boot, not the inbox's saved one.
  await expect(widget(page).locator(".sd-head")).toHaveCSS("background-color", "rgb(15, 118, 110)");
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await widget(page).getByRole("button", { name: "Talk to a human" }).click();
  const id = (await agent.conversationWith(text))!;
  await agent.claim(id);
  await launcher(page).click(); // closed
  await agent.reply(id, "Hello from the team");
  const events = () => sdkEvents(page);
  await expect.poll(events).toContain("unread:1");
  const seen = await events();
  expect(seen[0]).toBe("ready");
  expect(seen).toContain("message:Hello from the team");
  await launcher(page).click();
  await expect.poll(events).toContain("unread:0");
  await request.dispose();
});

test("the launcher takes the colour and side saved in the inbox's settings; boot options override them", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  await signedInAgent(request, baseURL!);
  const admin = await browser.newContext({ storageState: await request.storageState(), baseURL });
  const settings = await admin.newPage();
  const saveLook = async (colour: string, side: "Bottom left" | "Bottom right") => {
    await settings.goto("/settings");
    await settings.locator('a[href^="/settings/inboxes/"]').first().click();
    await settings.getByLabel("Colour", { exact: true }).fill(colour);
    await settings.getByRole("radio", { name: side }).check();
    await settings.getByRole("button", { name: "Save changes" }).click();
    await settings.waitForURL(/done=saved/);
  };
  await saveLook("#b91c1c", "Bottom left");
  try {
    shop.host.set({ snippet: shop.snippet() });
    await page.goto(shop.host.url);
    const button = page.getByRole("button", { name: "Open chat" });
    // The saved look arrives with the iframe, which the loader makes when the page is idle.
    await expect(button).toHaveCSS("background-color", "rgb(185, 28, 28)");
    await expect.poll(async () => (await button.boundingBox())!.x).toBeLessThan(100);
    await button.click();
    await expect(widget(page).locator(".sd-head")).toHaveCSS("background-color", "rgb(185, 28, 28)");

    // The site's own boot options win.
    await installSdkStub(page, [["boot", { inbox: shop.inboxKey, position: "right", color: "#0f766e" }]]);
    shop.host.set({ snippet: `<script src="${shop.widgetOrigin}/widget.js" async></script>` });
    await page.goto(shop.host.url);
    await expect(widget(page).locator(".sd-head")).toBeAttached();
    const booted = page.getByRole("button", { name: "Open chat" });
    await expect(booted).toHaveCSS("background-color", "rgb(15, 118, 110)");
    expect((await booted.boundingBox())!.x).toBeGreaterThan(200);
  } finally {
    await saveLook("#2563eb", "Bottom right");
    await admin.close();
    await request.dispose();
  }
});

test("identify through the SDK: a visitor who signs in keeps the chat, and finds it again on another device", async ({ page, browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const agent = await signedInAgent(request, baseURL!);
  const secret = await agent.identitySecret();
  const user = { id: `user-${crypto.randomUUID()}`, email: "lena@shop.example", name: "Lena Shopper" };
  // What the shop's backend computes and prints into its page.
  const hash = createHmac("sha256", secret).update(user.id).digest("hex");

  const text = `Before signing in ${crypto.randomUUID()}`;
  await shop.waitInQueue(page, text);
  const id = (await agent.conversationWith(text))!;
  expect(await agent.pane(id)).toContain("Not verified");

  // The visitor signs in on the shop: its page tells the widget who they are.
  await sdk(page, "identify", { ...user, hash });
  await expect.poll(async () => agent.pane(id), { timeout: 10_000 }).toContain("Lena Shopper");
  const pane = await agent.pane(id);
  expect(pane).toContain("lena@shop.example");
  expect(pane).toMatch(/data-verified="true"/);
  await typeMessage(page, "Signed in now");
  await messageField(page).press("Enter");
  await expect.poll(async () => (await agent.pane(id)).includes("Signed in now")).toBe(true);

  // Another device: the shop boots the widget with the same user, this time proved by an identity
  // token (signed by its backend, expiring), and the chat is there.
  const token = await new SignJWT({ email: user.email, name: user.name })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(user.id)
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode(secret));
  const phone = await browser.newContext();
  const other = await phone.newPage();
  await installSdkStub(other, [["boot", { inbox: shop.inboxKey, user: { token } }]]);
  shop.host.set({ snippet: `<script src="${shop.widgetOrigin}/widget.js" async></script>` });
  await other.goto(shop.host.url);
  await launcher(other).click();
  await expect(transcript(other).getByText(text)).toBeVisible();
  await expect(transcript(other).getByText("Signed in now")).toBeVisible();

  // A forged hash is not accepted on a third device.
  const thief = await browser.newContext();
  const forged = await thief.newPage();
  await installSdkStub(forged, [["boot", { inbox: shop.inboxKey, user: { ...user, hash: "0".repeat(64) } }]]);
  await forged.goto(shop.host.url);
  await launcher(forged).click();
  await expect(widget(forged).getByText("The chat is not available right now.")).toBeVisible();
  await expect(transcript(forged).getByText(text)).toHaveCount(0);
  await phone.close();
  await thief.close();
  await request.dispose();
});
