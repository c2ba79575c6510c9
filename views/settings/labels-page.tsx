import { DEFAULT_LABEL_COLOR, LABEL_NAME_MAX, type LabelFormErrors, type LabelFormValues, type LabelWithUse } from "../../src/labels/model.ts";
import { Alert } from "../components/alert.tsx";
import { Field, fieldAria } from "../components/form-field.tsx";
import { LabelChip } from "../components/label-chip.tsx";
import { Notice } from "../components/notice.tsx";
import { SettingsLayout } from "./settings-layout.tsx";

/** A form that came back refused: what was typed and why. */
export interface LabelFormState {
  values: LabelFormValues;
  errors: LabelFormErrors;
}

export interface LabelsPageProps {
  me: { name: string; role: string };
  labels: LabelWithUse[];
  /** The new-label form, refused. */
  create?: LabelFormState;
  /** One label's form, refused. */
  edit?: LabelFormState & { id: string };
  /** A fixed confirmation from the server ("Label created."). */
  notice?: string;
  /** A fixed message about the page ("This label does not exist."). */
  message?: string;
}

const uses = (n: number) => (n === 1 ? "on 1 conversation" : `on ${n} conversations`);

/** A label's name and colour fields; `suffix` keeps the ids of each row's form apart. */
function LabelFields(props: { suffix: string; values: LabelFormValues; errors?: LabelFormErrors; what: string }) {
  const nameId = `label-name${props.suffix}`;
  const colorId = `label-color${props.suffix}`;
  const e = props.errors ?? {};
  return (
    <>
      <Field id={nameId} label={`Name${props.what}`} error={e.name}>
        <input id={nameId} name="name" type="text" value={props.values.name} maxlength={String(LABEL_NAME_MAX)} required autocomplete="off" autofocus={Boolean(e.name)} {...fieldAria(nameId, e.name)} />
      </Field>
      <Field id={colorId} label={`Colour${props.what}`} error={e.color}>
        <input id={colorId} name="color" type="color" value={props.values.color} required autofocus={Boolean(!e.name && e.color)} {...fieldAria(colorId, e.color)} />
      </Field>
    </>
  );
}

/** One label: its chip and use; for admins, its form (rename, recolour) and Delete. */
function LabelItem(props: { label: LabelWithUse; admin: boolean; edit?: LabelsPageProps["edit"] }) {
  const l = props.label;
  const edit = props.edit?.id === l.id ? props.edit : undefined;
  return (
    <li class="label-item" data-label-id={l.id}>
      <div class="label-item-head">
        <LabelChip label={l} />
        <span class="label-use" safe>
          {uses(l.conversations)}
        </span>
      </div>
      {props.admin ? (
        <div class="label-item-forms">
          <form method="post" action={`/settings/labels/${l.id}`} class="label-form" novalidate>
            <LabelFields suffix={`-${l.id}`} values={edit?.values ?? { name: l.name, color: l.color }} errors={edit?.errors} what={` of ${l.name}`} />
            <button type="submit" class="button">
              Save<span class="visually-hidden" safe>{` ${l.name}`}</span>
            </button>
          </form>
          <form method="post" action={`/settings/labels/${l.id}/delete`} class="label-delete">
            <button type="submit" class="button label-delete-button">
              Delete<span class="visually-hidden" safe>{` ${l.name}`}</span>
            </button>
          </form>
        </div>
      ) : (
        ""
      )}
    </li>
  );
}

/** /settings/labels: every agent sees the labels; admins create, rename, recolour and delete them. */
export function LabelsPage(props: LabelsPageProps) {
  const admin = props.me.role === "admin";
  const refused = props.create || props.edit;
  return (
    <SettingsLayout title="Labels" current="labels" agent={props.me} styles={["/public/inbox-settings.css", "/public/labels.css"]}>
      <h2>Labels</h2>
      <p class="lead">
        Agents put labels on conversations (the Labels button in a conversation, or the L key) and filter the inbox by them; Analytics counts conversations per label.
        {admin ? " Deleting a label takes it off every conversation." : " Only admins can add or change labels."}
      </p>
      <Notice message={props.notice} />
      <Alert message={props.message ?? (refused ? "Nothing was saved. Fix the fields below and save again." : undefined)} />
      {props.labels.length ? (
        <ul class="label-list settings-form" aria-label="Labels">
          {props.labels.map((l) => (
            <LabelItem label={l} admin={admin} edit={props.edit} />
          ))}
        </ul>
      ) : (
        <p class="label-list-empty">{admin ? "No labels yet: make the first one below." : "No labels yet."}</p>
      )}
      {admin ? (
        <form method="post" action="/settings/labels" class="card settings-form label-form" aria-labelledby="new-label-title" novalidate>
          <h3 id="new-label-title">New label</h3>
          <LabelFields suffix="" values={props.create?.values ?? { name: "", color: DEFAULT_LABEL_COLOR }} errors={props.create?.errors} what="" />
          <button type="submit" class="button primary-action">
            Create label
          </button>
        </form>
      ) : (
        ""
      )}
    </SettingsLayout>
  );
}
