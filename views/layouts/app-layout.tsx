import type { Children } from "@kitajs/html";
import type { Availability } from "../../src/availability/queries.ts";
import { AvailabilityControl } from "../agents/availability-control.tsx";
import { BaseLayout } from "./base-layout.tsx";
import { NotificationsSlot } from "../notes/notifications-menu.tsx";

const HTMX = "/public/vendor/htmx.min.js";
/** The phone's menu button (public/phone.css folds the header behind it on narrow screens). */
const NAV_MENU = "/public/nav-menu.js";

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
  /** availability: the signed-in agent's own Online / Away switch (every page but a few fixtures). */
  agent: { name: string; role: string; availability?: Availability };
  children: Children;
  scripts?: string[];
  /** Stylesheets after app.css (a page's own). */
  styles?: string[];
}) {
  return (
    // htmx on every signed-in page: the header's Availability menu posts with it on change.
    <BaseLayout title={props.title} scripts={[...(props.scripts?.includes(HTMX) ? props.scripts : [HTMX, ...(props.scripts ?? [])]), NAV_MENU]} styles={props.styles}>
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
