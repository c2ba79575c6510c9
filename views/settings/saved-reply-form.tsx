import { escapeHtml } from "@kitajs/html";
import type { ReplyErrors, ReplyFormValues, Scope } from "../../src/saved-replies/model.ts";
import { LIMITS } from "../../src/saved-replies/model.ts";
import { VARIABLE_LIST } from "../../src/saved-replies/variables.ts";
import { Field, fieldAria } from "../components/form-field.tsx";
import { RadioGroup } from "./radio-group.tsx";

export interface ReplyFormState {
  /** What was typed (a refused post), or the reply's fields (editing). */
  values?: ReplyFormValues;
  errors?: ReplyErrors;
}

const SHORTCUT_HINT = "Letters, digits, - and _. Type / and the shortcut in a reply to insert it.";
const BODY_HINT = `May hold ${VARIABLE_LIST}; each is filled in for the conversation. Without a name, {{contact.name}} reads "there" (or the fallback after a bar: {{contact.name|friend}}).`;

/**
 * A saved reply's fields (values escaped whole: @kitajs/html escapes only `"` in attributes, and
 * "R&amp;D" must come back as typed): name, shortcut and text, and, when an admin makes a new one, whose it
 * is. The first field with an error takes the focus.
 */
export function SavedReplyFields(props: ReplyFormState & { idPrefix: string; scopeChoice: boolean }) {
  const v = props.values ?? {};
  const e = props.errors ?? {};
  const first = (["name", "shortcut", "body"] as const).find((k) => e[k]);
  const id = (name: string) => `${props.idPrefix}-${name}`;
  const scope: Scope = v.scope === "team" ? "team" : "personal";
  return (
    <>
      <Field id={id("name")} label="Name" error={e.name}>
        <input id={id("name")} name="name" type="text" value={v.name === undefined ? undefined : escapeHtml(v.name)} maxlength={String(LIMITS.name)} required autofocus={first === "name"} {...fieldAria(id("name"), e.name)} />
      </Field>
      <Field id={id("shortcut")} label="Shortcut" hint={SHORTCUT_HINT} error={e.shortcut}>
        <input
          id={id("shortcut")}
          name="shortcut"
          type="text"
          value={v.shortcut === undefined ? undefined : escapeHtml(v.shortcut)}
          maxlength={String(LIMITS.shortcut + 1)}
          autocomplete="off"
          spellcheck="false"
          required
          autofocus={first === "shortcut"}
          {...fieldAria(id("shortcut"), e.shortcut, `${id("shortcut")}-hint`)}
        />
      </Field>
      <Field id={id("body")} label="Text" hint={BODY_HINT} error={e.body}>
        <textarea id={id("body")} name="body" rows="5" maxlength={String(LIMITS.body)} required autofocus={first === "body"} {...fieldAria(id("body"), e.body, `${id("body")}-hint`)} safe>
          {v.body ?? ""}
        </textarea>
      </Field>
      {props.scopeChoice ? (
        <RadioGroup
          name="scope"
          legend="Who can use it"
          value={scope}
          error={undefined}
          options={[
            { value: "personal", label: "Only me" },
            { value: "team", label: "Everyone on the team", hint: "Only admins can change or delete a team reply." },
          ]}
        />
      ) : (
        ""
      )}
    </>
  );
}
