/* SupportDesk chat widget loader. API: /widget.d.ts */
(function (w, d) {
  "use strict";
  let S = w.SupportDesk;
  if (S && S.sd) return;
  if (!S) S = w.SupportDesk = function f() { (f.q = f.q || []).push(arguments) };
  const L = __SD_STRINGS__,
    cs = d.currentScript || d.querySelector('script[src*="/widget.js"]'),
    W = new URL(cs.src).origin,
    SD = "supportdesk",
    H = {},
    warned = {},
    E = encodeURIComponent,
    el = (t, a, p, s) => {
      const e = s ? d.createElementNS("http://www.w3.org/2000/svg", t) : d.createElement(t);
      for (const k in a) e.setAttribute(k, a[k]);
      return p.appendChild(e);
    },
    emit = (e, x) => (H[e] || []).forEach((f) => { try { f(x) } catch (r) { console.error(r) } }),
    U = (u) => {
      if (u) {
        const r = {};
        for (const k of ["id", "email", "name", "hash", "token"]) if (u[k] != null) r[k] = "" + u[k];
        return r;
      }
    };
  // dy: shut-down instances whose iframe has not yet been told to forget the visitor
  let cur, dy = 0;

  function mk(o) {
    let lang = (o.locale || navigator.language || "").toLowerCase().split(/[-_]/)[0],
      user = U(o.user), Q = [], n = 0, ok, op, dead, dg, fr, st;
    if (!L[lang]) lang = "en";
    const T = L[lang],
      K = "sd:" + o.inbox,
      // the iframe's state, kept here when the browser refuses it storage of its own
      ls = (v) => { try { return v === 0 ? localStorage.removeItem(K) : v ? localStorage.setItem(K, JSON.stringify(v)) : JSON.parse(localStorage.getItem(K)) } catch (e) {} },
      host = el("supportdesk-widget", 0, d.body),
      R = host.attachShadow({ mode: "open" }),
      b = el("button", { type: "button" }, R),
      ic = el("path", 0, el("svg", { viewBox: "0 0 24 24", "aria-hidden": "true" }, b, 1), 1),
      bd = el("span", { class: "b", "aria-hidden": "true" }, b),
      p = el("div", { class: "p" }, R),
      hx = (c) => /^#([\da-f]{3}){1,2}$/i.test(c),
      // boot's position and colour win; else the inbox's saved ones, which the iframe sends
      paint = (c, q) => {
        const sd = (o.position || q) == "left" ? "left" : "right",
          col = hx(o.color) ? o.color : hx(c) ? c : "#2563eb",
          css = `:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483000!important;bottom:20px!important;${sd}:20px!important}
button{all:initial;box-sizing:border-box;position:relative;display:flex;align-items:center;justify-content:center;width:56px;height:56px;border-radius:50%;background:${col};color:#fff;cursor:pointer;box-shadow:0 4px 12px rgba(0,0,0,.25)}
button:focus-visible{outline:3px solid ${col};outline-offset:3px;box-shadow:0 0 0 3px #fff}
svg{width:28px;height:28px;fill:currentColor}
.b{position:absolute;top:-4px;right:-4px;box-sizing:border-box;min-width:20px;height:20px;padding:0 5px;border-radius:10px;background:#dc2626;color:#fff;font:700 12px/20px system-ui,sans-serif;text-align:center}
.p{position:fixed;bottom:96px;${sd}:20px;width:min(380px,100vw - 40px);height:min(600px,100vh - 100px);border-radius:16px;overflow:hidden;background:#fff;box-shadow:0 8px 40px rgba(0,0,0,.3)}
iframe{display:block;width:100%;height:100%;border:0}
@media(max-width:479px){.p{inset:0;width:auto;height:auto;border-radius:0}}`;
        try {
          st = st || new CSSStyleSheet();
          st.replaceSync(css);
          R.adoptedStyleSheets = [st];
        } catch (e) {
          (st = st && st.nodeType ? st : el("style", 0, R)).textContent = css;
        }
      };
    paint();
    const post = (t, x) => {
        x = { ...x, sd: SD, type: t };
        ok ? fr.contentWindow.postMessage(x, W) : Q.push(x);
      },
      ui = () => {
        ic.setAttribute("d", op ? "M19 6.4 17.6 5 12 10.6 6.4 5 5 6.4 10.6 12 5 17.6 6.4 19 12 13.4 17.6 19 19 17.6 13.4 12z" : "M20 2H4a2 2 0 0 0-2 2v18l4-4h14a2 2 0 0 0 2-2V4a2 2 0 0 0-2-2z");
        b.setAttribute("aria-expanded", !!op);
        b.setAttribute("aria-label", (op ? T.launcherClose : T.launcherOpen) + (n ? ", " + T.launcherUnread.replace("{count}", n) : ""));
        bd.textContent = n > 9 ? "9+" : n;
        bd.hidden = !n;
        p.hidden = !op;
      },
      cnt = (c) => {
        c = Math.max(0, c | 0);
        if (c != n) { n = c; ui(); emit("unreadCountChange", n) }
      },
      frame = () => {
        if (fr) return;
        if (dy && !dead) return setTimeout(frame, 99);
        fr = el("iframe", { title: "Chat", src: `${W}/embed/widget?inbox=${E(o.inbox)}&origin=${E(location.origin)}&locale=${lang}` }, p);
        op && fr.focus();
      },
      open = () => {
        if (op) return;
        op = 1; ui();
        fr ? fr.focus() : frame();
        ok && post("open", { page: location.href });
        emit("open");
      },
      close = () => {
        if (!op) return;
        const f = d.activeElement == host;
        op = 0; ui();
        ok && post("close");
        f && b.focus();
        emit("close");
      },
      dn = () => dg && (dg = 0, dy--),
      rm = () => { dn(); host.remove(); w.removeEventListener("message", onm) },
      onm = (e) => {
        const m = e.data, t = m && m.type;
        if (e.origin !== W || !fr || e.source !== fr.contentWindow || !m || m.sd !== SD) return;
        if (t == "loaded") {
          ok = 1;
          paint(m.color, m.position);
          post("boot", { inbox: o.inbox, user, locale: lang, color: o.color, page: location.href, store: ls() });
          Q.splice(0).forEach((x) => fr.contentWindow.postMessage(x, W));
          op && post("open", { page: location.href });
          if (dead) { dn(); setTimeout(rm, 500) }
        } else if (!dead) {
          t == "ready" ? emit("ready") : t == "unread" ? cnt(m.count) : t == "message" ? emit("message", m.message) : t == "close" ? close() : t == "open" ? open() : t == "store" && ls(m.data);
        }
      };
    w.addEventListener("message", onm);
    b.onclick = () => (op ? close() : open());
    b.onkeydown = (e) => { e.key == "Escape" && close() };
    ui();
    w.requestIdleCallback ? requestIdleCallback(frame) : setTimeout(frame, 2000);
    return {
      o, open, close, r: rm,
      toggle: b.onclick,
      identify: (u) => { if (u) { user = U(u); ok && post("identify", { user }) } },
      showNewMessage: (t) => { t != null && post("prefill", { text: "" + t }); open() },
      // forget the visitor: the iframe clears its storage, then everything goes
      shutdown: () => {
        cnt(0);
        ls(0);
        dead = 1; op = 0; p.hidden = true; b.remove();
        frame();
        post("shutdown");
        if (ok) setTimeout(rm, 500);
        else { dg = 1; dy++; setTimeout(rm, 9000) }
      },
    };
  }

  function api(c, a, f) {
    try {
      if (!/^(boot|on|open|close|toggle|identify|shutdown|showNewMessage)$/.test(c)) {
        warned[c] || console.warn("SupportDesk: unknown command", c);
        warned[c] = 1;
      } else if (c == "boot") {
        if (!a || !a.inbox) console.warn("SupportDesk: boot needs {inbox}");
        else if (!cur || cur.o.inbox != a.inbox) { cur && cur.r(); cur = mk(a) }
      } else if (c == "on") {
        typeof f == "function" && (H[a] = H[a] || []).push(f);
      } else if (cur) {
        cur[c](a);
        if (c == "shutdown") cur = 0;
      }
    } catch (e) {
      console.error(e);
    }
  }

  const init = () => {
    const q = w.SupportDesk.q || [], ds = cs.dataset;
    api.sd = 1;
    w.SupportDesk = api;
    if (ds.inbox && !q.some((a) => a[0] == "boot")) api("boot", { inbox: ds.inbox, position: ds.position, color: ds.color, locale: ds.locale });
    q.forEach((a) => api(...a));
  };
  d.body ? init() : d.addEventListener("DOMContentLoaded", init);
})(window, document);
