import type { Children } from "@kitajs/html";
import { AppLayout } from "../layouts/app-layout.tsx";
import { SettingsNav, type SettingsPage } from "./settings-nav.tsx";

/**
 * Every settings page: the settings menu at the side, the page beside it. The side's "Settings"
 * is the page's heading unless the page brings its own (`ownHeading`: an inbox's settings).
 */
export function SettingsLayout(props: {
  title: string;
  current: SettingsPage;
  agent: Parameters<typeof AppLayout>[0]["agent"];
  ownHeading?: boolean;
  scripts?: string[];
  styles?: string[];
  children: Children;
}) {
  return (
    <AppLayout title={props.title} section="settings" agent={props.agent} scripts={props.scripts} styles={props.styles}>
      <div class="settings-layout">
        <div class="settings-side">
          {props.ownHeading ? <p class="settings-title">Settings</p> : <h1 class="settings-title">Settings</h1>}
          <SettingsNav current={props.current} role={props.agent.role} />
        </div>
        <div class="settings-content">{props.children}</div>
      </div>
    </AppLayout>
  );
}
