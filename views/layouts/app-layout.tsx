import type { Children } from "@kitajs/html";
import type { Availability } from "../../src/availability/queries.ts";
import { AvailabilityControl } from "../agents/availability-control.tsx";
import type { Theme } from "../../src/agents/model.ts";
import { BaseLayout } from "./base-layout.tsx";
import { NotificationsSlot } from "../notes/notifications-menu.tsx";

const HTMX = "/public/vendor/htmx.min.js";
/** The phone's menu button (public/phone.css folds the header behind it on narrow screens). */
const NAV_MENU = "/public/nav-menu.js";
/** The tab icon's count (the inbox's, from the page): on every signed-in page, after the page's own scripts. */
const FAVICON_COUNT = "/public/favicon-count.js";

export type Section = "inbox" | "tickets" | "analytics" | "settings";

// Sections join the navigation as they are built, so no link leads to a missing page.
const SECTIONS: ReadonlyArray<[Section, string, string]> = [
  ["inbox", "Inbox", "/inbox"],
  ["tickets", "Tickets", "/tickets"],
  ["analytics", "Analytics", "/analytics"],
  ["settings", "Settings", "/settings"],
];

/** The signed-in frame: navigation, who is signed in, and the page. */
export function AppLayout(props: {
  title: string;
  section: Section;
  /**
   * availability: the signed-in agent's own Online / Away switch (every page but a few fixtures);
   * theme: their look (Settings → Profile). Pages pass the session's agent row, which has both.
   */
  agent: { name: string; role: string; availability?: Availability; theme?: Theme };
  children: Children;
  scripts?: string[];
  /** Stylesheets after app.css (a page's own). */
  styles?: string[];
}) {
  // htmx on every signed-in page: the header's Availability menu posts with it on change.
  const scripts = [...(props.scripts?.includes(HTMX) ? props.scripts : [HTMX, ...(props.scripts ?? [])]), NAV_MENU, FAVICON_COUNT];
  return (
    <BaseLayout title={props.title} scripts={scripts} styles={props.styles} theme={props.agent.theme}>
      <div class="app">
        <header class="app-header">
          <a class="brand" href="/inbox">
            SupportDesk
          </a>
          {/* Narrow screens: what follows folds behind this button; nav-menu.js shows it (without script the menu stays open). */}
          <button type="button" class="button nav-toggle" aria-expanded="false" aria-controls="app-menu" hidden>
            Menu
          </button>
          <div id="app-menu" class="app-menu">
            <nav aria-label="Main" class="main-nav">
              {SECTIONS.map(([key, label, href]) => (
                <a href={href} aria-current={key === props.section ? "page" : undefined} safe>
                  {label}
                </a>
              ))}
            </nav>
            <NotificationsSlot />
            <div class="me">
              {props.agent.availability ? <AvailabilityControl availability={props.agent.availability} /> : null}
              <span class="me-name" safe>
                {props.agent.name}
              </span>
              <form method="post" action="/logout">
                <button type="submit" class="link-button">
                  Sign out
                </button>
              </form>
            </div>
          </div>
        </header>
        <main class="app-main">{props.children}</main>
      </div>
    </BaseLayout>
  );
}
