import { expect, test, type APIRequestContext, type Page, type WebSocketRoute } from "@playwright/test";
import { signedInAgent } from "./agent-api.ts";
import { startHostPage } from "./host-page.ts";

// The widget as a customer sees it on a host page: the launcher in the page, the chat in its iframe.

export const widget = (page: Page) => page.frameLocator('iframe[src*="/embed/widget"]');
/** The transcript: the live region that announces messages repeats their text elsewhere. */
export const transcript = (page: Page) => widget(page).getByRole("region", { name: "Messages", exact: true });
export const launcher = (page: Page) => page.getByRole("button", { name: /Open chat|Close chat/ });
export const messageField = (page: Page) => widget(page).getByRole("textbox", { name: "Message", exact: true });
/**
 * Types into the widget's field and checks that the field holds the text before going on, so
 * that input the browser did not deliver fails here, by name, and not later as a message that
 * "was never sent" (see the site-isolation note in playwright.config.ts).
 */
export async function typeMessage(page: Page, text: string) {
  const field = messageField(page);
  await field.fill(text);
  await expect(field).toHaveValue(text);
}

/** Messages still in the outbox, shown as "Sending…". */
export const pending = (page: Page) => transcript(page).getByText("Sending…").filter({ visible: true });
/** Messages the server refused to store, shown as "Failed" with a retry button. */
export const notSent = (page: Page) => transcript(page).getByText("Failed", { exact: true }).filter({ visible: true });

/** The snippet a website pastes, for the widget served from `widgetOrigin`. */
export const snippetFor = (widgetOrigin: string, inboxKey: string) => `<script src="${widgetOrigin}/widget.js" data-inbox="${inboxKey}" async></script>`;

/** A shop's page, as startHostPage serves it. */
interface HostPage {
  url: string;
  set(page: { snippet: string }): void;
}

/**
 * The widget as a customer meets it: on a shop's page of another site, under a strict CSP that
 * allows only the widget's origin, with page CSS that would hide every button it could reach; the
 * snippet of the suite's default inbox. Call at the top of a test file: it registers its own
 * beforeAll and afterAll.
 */
export function useShop() {
  const shop = {
    host: undefined as unknown as Awaited<ReturnType<typeof startHostPage>>,
    inboxKey: "",
    widgetOrigin: "",
    snippet: () => snippetFor(shop.widgetOrigin, shop.inboxKey),
    /** A new visitor on the shop opens the widget, writes `text` and asks for a human. */
    waitInQueue: (page: Page, text: string) => waitInQueue(page, shop.host, shop.snippet(), text),
  };
  test.beforeAll(async ({ playwright, baseURL }) => {
    shop.widgetOrigin = new URL(baseURL!).origin;
    shop.host = await startHostPage(shop.widgetOrigin);
    const request = await playwright.request.newContext({ baseURL });
    shop.inboxKey = await (await signedInAgent(request, baseURL!)).defaultInboxKey();
    await request.dispose();
  });
  test.afterAll(() => shop.host?.close());
  return shop;
}

/** A new visitor on the shop opens the widget, writes `text` and asks for a human. */
export async function waitInQueue(page: Page, host: HostPage, snippet: string, text: string) {
  host.set({ snippet });
  await page.goto(host.url);
  await launcher(page).click();
  await typeMessage(page, text);
  await messageField(page).press("Enter");
  await widget(page).getByRole("button", { name: "Talk to a human" }).click();
  await expect(widget(page).getByText(/in the queue/)).toBeVisible();
  // The message is in the transcript and acknowledged (stored), not still on its way or refused.
  await expect(transcript(page).getByText(text, { exact: true })).toBeVisible();
  await expect(pending(page)).toHaveCount(0, { timeout: 10_000 });
  await expect(notSent(page)).toHaveCount(0);
}

/**
 * A network between the widget and its server that the test can cut: open sockets are dropped and
 * new ones refused (offline emulation may leave an open WebSocket up), and with `http` the
 * widget's API requests fail too. Install before the page loads.
 */
export async function cuttableWidgetNetwork(page: Page, options: { http?: boolean } = {}) {
  let down = false;
  const sockets = new Set<WebSocketRoute>();
  await page.routeWebSocket(/\/ws\/widget/, (ws) => {
    if (down) return ws.close({ code: 1006 });
    ws.connectToServer();
    sockets.add(ws);
  });
  if (options.http) await page.route(/\/api\/v1\/widget\//, (route) => (down ? route.abort("internetdisconnected") : route.continue()));
  return {
    async cut() {
      down = true;
      for (const ws of sockets) await ws.close({ code: 1006 });
      sockets.clear();
    },
    restore() {
      down = false;
    },
  };
}

type Sdk = ((...args: unknown[]) => void) & { q?: unknown[] };

/**
 * The stub a site pastes before the loader, installed before the page's scripts run; `calls`
 * are made at once, as the page's own scripts would. `["on", event, label?]` installs a handler
 * that pushes to `window.events` "label" or "label:value" (a message: its body).
 */
export async function installSdkStub(page: Page, calls: unknown[][]) {
  await page.addInitScript((calls) => {
    const w = window as unknown as { SupportDesk: Sdk; events: string[] };
    w.events = [];
    w.SupportDesk = function (...args: unknown[]) {
      (w.SupportDesk.q = w.SupportDesk.q || []).push(args);
    } as Sdk;
    for (const call of calls) {
      if (call[0] === "on") {
        const label = (call[2] ?? call[1]) as string;
        w.SupportDesk("on", call[1], (value?: unknown) =>
          w.events.push(value === undefined ? label : `${label}:${typeof value === "object" && value ? (value as { body: string }).body : String(value)}`),
        );
      } else w.SupportDesk(...call);
    }
  }, calls);
}

/** A call to the SDK from the page's own scripts. */
export const sdk = (page: Page, ...args: unknown[]) => page.evaluate((a) => (window as unknown as { SupportDesk: Sdk }).SupportDesk(...a), args);
/** What the handlers installed by installSdkStub have seen. */
export const sdkEvents = (page: Page) => page.evaluate(() => (window as unknown as { events: string[] }).events);

/** A customer over the widget API who writes and asks for a person: their conversation waits in the queue. */
export async function customerAsks(request: APIRequestContext, inboxKey: string, text: string) {
  const { token } = await (await request.post("/api/v1/widget/session", { data: { inbox: inboxKey } })).json();
  const auth = { authorization: `Bearer ${token}` };
  expect((await request.post("/api/v1/widget/messages", { data: { clientId: crypto.randomUUID(), body: text }, headers: auth })).ok()).toBe(true);
  expect((await request.post("/api/v1/widget/handoff", { headers: auth })).ok()).toBe(true);
}
