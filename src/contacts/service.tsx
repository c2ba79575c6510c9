// An agent corrects who a customer is (the contact panel): name, email, notes. After the commit
// the card goes to every agent viewing the contact's conversations, with the conversation's title,
// and the list rows show the new name.
import type { ConversationDeps } from "../conversations/changes.ts";
import { ConversationRefused, isUuid } from "../conversations/model.ts";
import { findConversation } from "../conversations/queries.ts";
import { rowChanged } from "../conversations/notify.tsx";
import { topics } from "../realtime/topics.ts";
import { ContactCard, ContactTitlePush } from "../../views/conversations/contact-card.tsx";
import { parseContactEdit, type ContactEditErrors, type ContactEditValues, type contactEditForm } from "./model.ts";
import { findContact, updateByAgent, type Contact } from "./queries.ts";

export type ContactEditResult = { ok: true; contact: Contact } | { ok: false; contact: Contact; errors: ContactEditErrors; values: ContactEditValues };

const notFound = () => new ConversationRefused("not_found", "This conversation does not exist.");

/** The contact of the conversation `conversationId` takes the form's values, or the form comes back with why not. */
export async function editContact(deps: ConversationDeps, conversationId: string, form: typeof contactEditForm.static): Promise<ContactEditResult> {
  const conversation = isUuid(conversationId) ? await findConversation(deps.db, conversationId) : undefined;
  if (!conversation) throw notFound();
  const parsed = parseContactEdit(form);
  if (!parsed.ok) {
    const contact = await findContact(deps.db, conversation.contactId);
    if (!contact) throw notFound();
    return { ok: false, contact, errors: parsed.errors, values: parsed.values };
  }
  const contact = await updateByAgent(deps.db, conversation.contactId, parsed.value);
  if (!contact) throw notFound();
  await contactChanged(deps, conversation.id, contact);
  return { ok: true, contact };
}

/**
 * The card and the title to the agents viewing the contact's conversation, and its row to the
 * lists. A contact has one conversation per inbox (continuity), the one the edit came from.
 */
async function contactChanged(deps: ConversationDeps, conversationId: string, contact: Contact): Promise<void> {
  const html = await (
    <>
      <ContactCard conversationId={conversationId} contact={contact} oob />
      <ContactTitlePush conversationId={conversationId} contact={contact} />
    </>
  );
  deps.bus.publish(topics.conversationAgents(conversationId), html);
  await rowChanged(deps, conversationId, { inPlace: true });
}
