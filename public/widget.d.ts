/**
 * SupportDesk chat widget: the `SupportDesk` global that `/widget.js` defines.
 *
 * Embed it with
 * ```html
 * <script src="https://support.example.com/widget.js" data-inbox="pk_3kq9Xc2mL0aB" async></script>
 * ```
 * (`data-position`, `data-color` and `data-locale` set the boot options of the same names), or boot
 * it yourself. Calls made before the script has loaded are queued by this stub and replayed in order:
 * ```js
 * window.SupportDesk = window.SupportDesk || function () { (SupportDesk.q = SupportDesk.q || []).push(arguments) };
 * SupportDesk("boot", { inbox: "pk_3kq9Xc2mL0aB" });
 * ```
 * A queued `boot` takes precedence over `data-inbox`. The loader never throws: unknown commands are
 * reported once with `console.warn`. Commands other than `boot` and `on` do nothing before `boot`.
 *
 * Save this file in your project (it is a global script declaration, no import needed) to type-check
 * your calls.
 */
declare function SupportDesk(command: "boot", options: SupportDesk.BootOptions): void;
/** Opens the chat panel and moves the focus into it. */
declare function SupportDesk(command: "open"): void;
/** Closes the chat panel. */
declare function SupportDesk(command: "close"): void;
/** Opens the chat panel if it is closed, closes it if it is open. */
declare function SupportDesk(command: "toggle"): void;
/**
 * Tells the widget who the signed-in user is (after they log in without a page load). An anonymous
 * visitor who already wrote keeps their conversation as this user.
 */
declare function SupportDesk(command: "identify", user: SupportDesk.User): void;
/**
 * Call when the user logs out: the widget forgets the visitor on this browser (its stored token is
 * cleared), and the launcher and panel are removed. A later `boot` starts afresh.
 */
declare function SupportDesk(command: "shutdown"): void;
/** Opens the chat panel with `text` prefilled in the message field (not sent). */
declare function SupportDesk(command: "showNewMessage", text?: string): void;
/**
 * Calls `callback` on a widget event. Callbacks stay registered across `shutdown` and `boot`.
 * @example SupportDesk("on", "unreadCountChange", (count) => console.log(count));
 */
declare function SupportDesk<E extends keyof SupportDesk.Events>(command: "on", event: E, callback: SupportDesk.Events[E]): void;

declare namespace SupportDesk {
  /** Calls queued by the page's stub before the loader arrived; the loader replays them in order. */
  let q: IArguments[] | undefined;

  interface BootOptions {
    /** The inbox's public key (from the embed snippet). A second `boot` with the same inbox does nothing. */
    inbox: string;
    /** The signed-in user of your site; omit for anonymous visitors. */
    user?: User;
    /** Language of the widget, e.g. "de" or "de-AT" (English when unsupported). Default: the browser's. */
    locale?: string;
    /** Side of the screen for the launcher and panel. Default "right". */
    position?: "right" | "left";
    /** Launcher colour as a CSS hex colour, "#abc" or "#aabbcc". Default "#2563eb". */
    color?: string;
  }

  /**
   * A signed-in user of your site, with the proof your server made: an identity `token`, or the
   * user's `id` with its `hash`. Never put the inbox's identity secret in the browser.
   */
  type User = UserWithToken | UserWithHash;

  /** Proved by an identity token: vouches for the id, the email and the name, until it expires. */
  interface UserWithToken {
    /**
     * A JWT signed by your server with HS256 and the inbox's identity secret, with the claims `sub`
     * (your id for the user, 1–200 characters), `exp` (required) and optionally `email` and `name`
     * (these become verified).
     */
    token: string;
    /** Optional; when given it must equal the token's `sub`. */
    id?: string;
    /** Used (unverified) only when the token has no `email`. */
    email?: string;
    /** Used only when the token has no `name`. */
    name?: string;
  }

  /** Proved by an HMAC of the id: vouches for the id only, and does not expire. */
  interface UserWithHash {
    /** Your site's id for the user (1–200 characters). */
    id: string;
    /** Hex HMAC-SHA256 of `id`, keyed with the inbox's identity secret and computed by your server. */
    hash: string;
    /** Stored as given (not verified). */
    email?: string;
    name?: string;
  }

  /** A chat message, as the widget protocol sends it. Render `body` as text, never as HTML; `html` is the safe rendering. */
  interface Message {
    id: string;
    /** 1, 2, 3, … per conversation. */
    seq: number;
    clientId?: string;
    /** The text as it was typed. */
    body: string;
    /** `body` rendered by the server (links and a Markdown subset, everything else escaped): safe to insert as HTML. */
    html?: string;
    sender: "customer" | "agent" | "bot" | "system";
    /** The agent's display name, on agent messages. */
    agentName?: string;
    /** ISO 8601 time. */
    createdAt: string;
  }

  interface Events {
    /** The widget has established the visitor's session. */
    ready: () => void;
    /** The panel opened. */
    open: () => void;
    /** The panel closed. */
    close: () => void;
    /** A new message from an agent or the bot arrived. */
    message: (message: Message) => void;
    /** The number of unread messages changed (0 once the customer has seen them). */
    unreadCountChange: (count: number) => void;
  }
}
