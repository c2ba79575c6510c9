// The inbox on a phone shows one of list, conversation and contact at a time (public/phone.css):
// these links move between them. They are real links, so the URL says what shows and the
// browser's back button agrees: the list is /inbox, the contact is the panel's #fragment (CSS
// :target). Wider screens show all three at once and hide these links.

/** At the start of the conversation's header: back to the list, and on to the contact. */
export function PanePhoneLinks(props: { conversationId: string }) {
  return (
    <nav class="phone-links" aria-label="Conversation views">
      <a class="phone-back" href="/inbox">
        Back to conversations
      </a>
      <a class="phone-contact" href={`#contact-${props.conversationId}`}>
        Contact
      </a>
    </nav>
  );
}

/** At the start of the contact panel: back to the conversation. */
export function ContactPhoneBack(props: { conversationId: string }) {
  return (
    <a class="contact-back" href={`#conversation-${props.conversationId}`}>
      Back to conversation
    </a>
  );
}
