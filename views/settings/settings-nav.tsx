export type SettingsPage = "inbox" | "agents" | "account" | "jobs" | "profile" | "labels" | "replies";

const PAGES: ReadonlyArray<[SettingsPage, string, string, adminOnly: boolean]> = [
  ["inbox", "Inbox", "/settings", false],
  ["replies", "Saved replies", "/settings/replies", false],
  ["agents", "Agents", "/settings/agents", true],
  ["account", "Account", "/settings/account", true],
  ["jobs", "Jobs", "/settings/jobs", true],
  ["labels", "Labels", "/settings/labels", false],
  ["profile", "Profile", "/settings/profile", false],
];

/** The settings sub-navigation; "Agents", "Account" and "Jobs" only for admins (the pages answer 403 to others anyway). */
export function SettingsNav(props: { current: SettingsPage; role: string }) {
  return (
    <nav aria-label="Settings" class="settings-nav">
      <ul>
        {PAGES.filter(([, , , adminOnly]) => !adminOnly || props.role === "admin").map(([key, label, href]) => (
          <li>
            <a href={href} aria-current={key === props.current ? "page" : undefined} safe>
              {label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
