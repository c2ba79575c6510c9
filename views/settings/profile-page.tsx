import { Alert } from "../components/alert.tsx";
import { FormField } from "../components/form-field.tsx";
import { Notice } from "../components/notice.tsx";
import { EmailPrefsSection, type EmailPrefsSectionProps } from "./email-prefs-section.tsx";
import { RadioGroup } from "./radio-group.tsx";
import { SettingsLayout } from "./settings-layout.tsx";
import type { Theme } from "../../src/agents/model.ts";

const THEME_CHOICES: Array<{ value: Theme; label: string; hint?: string }> = [
  { value: "system", label: "System", hint: "Light or dark, as this device is set." },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

export interface ProfilePageProps {
  me: { name: string; email: string; role: string; theme: Theme };
  notifications: { sound: boolean; desktop: boolean };
  /** The email choices, and whether email is off (no SMTP_URL). */
  email: Omit<EmailPrefsSectionProps, "admin">;
  /** What was typed into the name form, when it came back with an error. */
  nameValue?: string;
  errors?: { name?: string; current?: string; password?: string };
  /** A fixed confirmation from the server ("Password changed."). */
  notice?: string;
  message?: string;
}

/** /settings/profile: one's own name, password, appearance, notification and email choices. */
export function ProfilePage(props: ProfilePageProps) {
  const errors = props.errors ?? {};
  return (
    <SettingsLayout title="Profile" current="profile" agent={props.me}>
      <h2>Your profile</h2>
      <Notice message={props.notice} />
      <Alert message={props.message} />
      <p>
        Signed in as <strong safe>{props.me.email}</strong> ({props.me.role === "admin" ? "admin" : "agent"}).
      </p>

      <form method="post" action="/settings/profile/name" novalidate class="card" aria-labelledby="profile-name-title">
        <h3 id="profile-name-title">Name</h3>
        <FormField name="name" label="Name" value={props.nameValue ?? props.me.name} error={errors.name} autocomplete="name" autofocus={Boolean(errors.name)} />
        <button type="submit" class="button">
          Save name
        </button>
      </form>

      <form method="post" action="/settings/profile/password" novalidate class="card" aria-labelledby="profile-password-title">
        <h3 id="profile-password-title">Password</h3>
        {/* For password managers: which account this new password belongs to. */}
        <input type="hidden" name="username" value={props.me.email} autocomplete="username" />
        <FormField name="current" label="Current password" type="password" error={errors.current} autocomplete="current-password" autofocus={Boolean(errors.current)} />
        <FormField name="password" label="New password" type="password" error={errors.password} autocomplete="new-password" autofocus={!errors.current && Boolean(errors.password)} />
        <p class="lead">Changing it signs you out everywhere else; this browser stays signed in.</p>
        <button type="submit" class="button">
          Change password
        </button>
      </form>

      <form method="post" action="/settings/profile/theme" class="card" aria-labelledby="profile-theme-title">
        <h3 id="profile-theme-title">Appearance</h3>
        <RadioGroup name="theme" legend="Theme" value={props.me.theme} error={undefined} options={THEME_CHOICES} />
        <button type="submit" class="button">
          Save appearance
        </button>
      </form>

      <form method="post" action="/settings/profile/notifications" class="card" aria-labelledby="profile-notify-title">
        <h3 id="profile-notify-title">Notifications</h3>
        <p>
          <label>
            <input type="checkbox" name="sound" value="on" checked={props.notifications.sound} /> Play a sound for new messages
          </label>
        </p>
        <p>
          <label>
            <input type="checkbox" name="desktop" value="on" checked={props.notifications.desktop} /> Desktop notifications
          </label>
        </p>
        <button type="submit" class="button">
          Save notifications
        </button>
      </form>

      <EmailPrefsSection {...props.email} admin={props.me.role === "admin"} />
    </SettingsLayout>
  );
}
