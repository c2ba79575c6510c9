import type { Children } from "@kitajs/html";
import type { OnboardingFacts } from "../../src/onboarding/queries.ts";
import { embedSnippet } from "../widget/embed-snippet.tsx";
import { CopyButton, CopyStatus } from "../components/copy-field.tsx";

/**
 * Where the checklist goes in the empty inbox, for admins: it loads itself (GET /inbox/onboarding),
 * which answers the checklist while steps are left and nothing otherwise.
 */
export function OnboardingSlot(props: { role: string }) {
  if (props.role !== "admin") return "";
  return <div id="onboarding" hx-get="/inbox/onboarding" hx-trigger="load" hx-swap="outerHTML"></div>;
}

export interface OnboardingChecklistProps {
  facts: OnboardingFacts;
  publicUrl: string;
  /** The first inbox: the snippet is its, the business hours link goes to its settings. */
  inbox: { id: string; publicKey: string };
}

/** One step: its title says whether it is done (ticked), then what to do. */
function Step(props: { done: boolean; title: string; children: Children }) {
  return (
    <li class={props.done ? "onboarding-step done" : "onboarding-step"}>
      <h3>
        <span class="onboarding-tick" aria-hidden="true">
          {props.done ? "✓" : ""}
        </span>
        <span safe>{props.title}</span>
        <span class="visually-hidden">{props.done ? " (done)" : " (to do)"}</span>
      </h3>
      {props.children}
    </li>
  );
}

/** A new team's first steps, for admins, in the empty inbox until they are done or dismissed. */
export function OnboardingChecklist(props: OnboardingChecklistProps) {
  const f = props.facts;
  const done = [f.widgetLive, f.teammate, f.hours].filter(Boolean).length;
  return (
    <section id="onboarding" class="onboarding" aria-labelledby="onboarding-title">
      {/* Its own style and copy button: the inbox page loads neither (this arrives after it). */}
      <link rel="stylesheet" href="/public/onboarding.css" />
      <h2 id="onboarding-title">Get started</h2>
      <p class="onboarding-progress" safe>
        {`${done} of 3 done`}
      </p>
      <ol class="onboarding-steps">
        <Step done={f.widgetLive} title="Put the chat widget on your website">
          <label for="onboarding-snippet">Paste this just before the closing body tag of every page of your website:</label>
          <textarea id="onboarding-snippet" class="snippet-code" readonly rows="2" safe>
            {embedSnippet(props.publicUrl, props.inbox.publicKey)}
          </textarea>
          <div class="onboarding-actions">
            <CopyButton from="onboarding-snippet" text="Copy snippet" />
            <CopyStatus from="onboarding-snippet" />
            <a class="button" href="/demo" target="_blank">
              Try it on the demo page
            </a>
          </div>
        </Step>
        <Step done={f.teammate} title="Invite a teammate">
          <a href="/settings/agents">Invite someone in Settings → Agents</a>
        </Step>
        <Step done={f.hours} title="Set your business hours">
          <a href={`/settings/inboxes/${props.inbox.id}#hours-heading`}>Set hours in the inbox's settings</a>
        </Step>
      </ol>
      <form method="post" action="/inbox/onboarding/dismiss" hx-post="/inbox/onboarding/dismiss" hx-target="#onboarding" hx-swap="outerHTML">
        <button type="submit" class="link-button">
          Dismiss this checklist
        </button>
      </form>
      <script src="/public/copy-text.js"></script>
    </section>
  );
}
