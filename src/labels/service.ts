// The labels' verbs: admins define them (Settings, Labels); agents put them on conversations and
// take them off. Every change is announced after its commit (notify.tsx).
import type { ConversationDeps } from "../conversations/changes.ts";
import { ConversationRefused, isUuid } from "../conversations/model.ts";
import { isUniqueViolation } from "../db/rows.ts";
import { parseLabelForm, type Label, type LabelForm, type LabelFormErrors, type LabelFormValues } from "./model.ts";
import { labelEdited, labelsChanged, renderLabels } from "./notify.tsx";
import * as q from "./queries.ts";

export { listLabels, listLabelsWithUse } from "./queries.ts";

export type LabelSaved = { ok: true; label: Label } | { ok: false; notFound?: false; values: LabelFormValues; errors: LabelFormErrors } | { ok: false; notFound: true };

const taken = (name: string) => `A label named “${name}” exists already (names are compared whatever their case).`;

/** Saves what the form says (a new label without `id`): refused with what was typed and why. */
async function save(deps: ConversationDeps, form: LabelForm, id?: string): Promise<LabelSaved> {
  const parsed = parseLabelForm(form);
  if (!parsed.ok) return parsed;
  if (id !== undefined && !isUuid(id)) return { ok: false, notFound: true };
  try {
    if (id === undefined) return { ok: true, label: await q.insertLabel(deps.db, parsed.name, parsed.color) };
    const label = await q.updateLabel(deps.db, id, parsed.name, parsed.color);
    if (!label) return { ok: false, notFound: true };
    await labelEdited(deps, await withOptions(deps, await q.conversationsWith(deps.db, id)));
    return { ok: true, label };
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    return { ok: false, values: { name: form.name ?? "", color: parsed.color }, errors: { name: taken(parsed.name) } };
  }
}

/** Each conversation's labels as its menu shows them now (after an edit has committed). */
async function withOptions(deps: ConversationDeps, conversationIds: string[]) {
  return Promise.all(conversationIds.map(async (conversationId) => ({ conversationId, options: await q.labelOptions(deps.db, conversationId) })));
}

export function createLabel(deps: ConversationDeps, form: LabelForm): Promise<LabelSaved> {
  return save(deps, form);
}

/** Renames or recolours a label; the rows of the conversations carrying it are pushed again. */
export function updateLabel(deps: ConversationDeps, id: string, form: LabelForm): Promise<LabelSaved> {
  return save(deps, form, id);
}

/** Deletes a label, which leaves every conversation that carried it; false when there was none. */
export async function deleteLabel(deps: ConversationDeps, id: string): Promise<boolean> {
  const carried = isUuid(id) ? await q.deleteLabel(deps.db, id) : null;
  if (carried === null) return false;
  await labelEdited(deps, await withOptions(deps, carried));
  return true;
}

/**
 * Puts the label on the conversation (`on`) or takes it off, as `agent` (recorded as added_by).
 * Idempotent: a label already there (or not), or deleted meanwhile, changes nothing and tells no
 * one. Returns the HTML of the chips and the menu: when they changed, the same bytes the agents
 * viewing the conversation get.
 */
export async function setConversationLabel(deps: ConversationDeps, agent: { id: string }, conversationId: string, labelId: string, on: boolean): Promise<string> {
  if (!isUuid(conversationId) || !(await q.conversationExists(deps.db, conversationId))) {
    throw new ConversationRefused("not_found", "This conversation does not exist.");
  }
  if (!isUuid(labelId)) throw new ConversationRefused("bad_request", "Choose a label.");
  const changed = on ? await q.addLabel(deps.db, conversationId, labelId, agent.id) : await q.removeLabel(deps.db, conversationId, labelId);
  const options = await q.labelOptions(deps.db, conversationId);
  return changed ? labelsChanged(deps, conversationId, options) : renderLabels(conversationId, options);
}

/** The conversation's chips and menu as they are now, out of band: a menu that opens asks for them (a label may have been made, renamed or deleted since the pane was drawn). */
export async function conversationLabels(deps: ConversationDeps, conversationId: string): Promise<string> {
  if (!isUuid(conversationId) || !(await q.conversationExists(deps.db, conversationId))) {
    throw new ConversationRefused("not_found", "This conversation does not exist.");
  }
  return renderLabels(conversationId, await q.labelOptions(deps.db, conversationId));
}
