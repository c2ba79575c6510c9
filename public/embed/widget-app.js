// The chat widget inside its iframe: an Alpine component, a socket client, an outbox and an HTTP
// fallback, speaking docs/widget-protocol.md. Plain ES2019, no build step; loads before Alpine.
(function () {
  "use strict";
  var cfg = JSON.parse(document.getElementById("sd-config").textContent);
  var S = cfg.strings, L = cfg.locale, PK = cfg.publicKey, MAX = 5000, KP = "sd:" + PK + ":";
  var framed = window.parent !== window;
  // The browser's word on who framed us wins over the URL parameter, which the host page chose.
  var ao = location.ancestorOrigins && location.ancestorOrigins[0];
  var host = ao || cfg.hostOrigin;
  if (!/^https?:\/\/[^/]+$/.test(host || "")) host = null;

  var fTime = new Intl.DateTimeFormat(L, { timeStyle: "short" });
  var fDay = new Intl.DateTimeFormat(L, { weekday: "long", day: "numeric", month: "long" });
  var fDate = new Intl.DateTimeFormat(L, { day: "numeric", month: "long", year: "numeric" });
  var num = new Intl.NumberFormat(L).format;
  var t = function (key, v) {
    return S[key].replace(/\{(\w+)\}/g, function (m, k) { return v && k in v ? v[k] : m; });
  };
  var TOO_LONG = t("tooLong", { max: num(MAX) });

  // The visitor's state (token, outbox, ...) lives in the iframe's own storage when the browser
  // gives a third-party frame one. When it refuses, the loader keeps it in the host page's storage,
  // first-party there (as Intercom keeps its session cookie): it arrives with `boot`, and each
  // change goes back with `store`. Framed nowhere, it lives as long as the page.
  var local = (function () {
    try { localStorage.setItem(KP + "probe", "1"); localStorage.removeItem(KP + "probe"); return true; } catch (e) { return false; }
  })();
  // What is stored, and how much: a write beyond STORE_MAX characters is skipped, not attempted.
  var STORE_KEYS = ["token", "outbox", "lastRead", "conv", "muted", "away"], STORE_MAX = 256 * 1024;
  // `dirty`: saved but not written yet. Saves are coalesced into one write per tick (a message
  // saves the outbox, lastRead, ... several times), and reads see them at once.
  var kept = {}, dirty = {}, writing = false;
  var has = function (o, k) { return Object.prototype.hasOwnProperty.call(o, k); };
  function load(k, d) {
    if (!local || has(dirty, k)) return has(kept, k) ? kept[k] : d;
    try { var v = localStorage.getItem(KP + k); return v == null ? d : JSON.parse(v); } catch (e) { return d; }
  }
  function save(k, v) {
    kept[k] = v;
    dirty[k] = 1;
    if (!writing) { writing = true; Promise.resolve().then(writeStore); }
  }
  function writeStore() {
    var keys = Object.keys(dirty);
    writing = false;
    dirty = {};
    if (!keys.length) return;
    if (!local) {
      if (JSON.stringify(kept).length <= STORE_MAX) post("store", { data: kept });
      return;
    }
    keys.forEach(function (k) {
      var v = JSON.stringify(kept[k]);
      if (v.length > STORE_MAX) return;
      try { localStorage.setItem(KP + k, v); } catch (e) { /* full: this page keeps it */ }
    });
  }
  function storedOutbox() {
    var o = load("outbox", []);
    return (Array.isArray(o) ? o : [])
      .filter(function (e) { return e && typeof e.clientId === "string" && typeof e.body === "string"; })
      .map(function (e) {
        // A date that does not parse would break rendering (RangeError): now, then.
        var at = String(e.at || "");
        if (isNaN(new Date(at).getTime())) at = new Date().toISOString();
        return { clientId: e.clientId, body: e.body, at: at, failed: false, wait: false };
      });
  }
  /**
   * The visitor's stored state, validated the same way whatever its source: this frame's storage at
   * start-up (no argument), or what the loader kept for us (`restore`), of which only known keys count.
   */
  function fromStore(store) {
    if (store) {
      kept = {};
      dirty = {};
      STORE_KEYS.forEach(function (k) { if (has(store, k)) kept[k] = store[k]; });
    }
    var tok = load("token", null);
    token = typeof tok === "string" ? tok : null;
    lastRead = +load("lastRead", 0) || 0;
    return { outbox: storedOutbox(), muted: load("muted", false) === true, away: String(load("away", "") || "") };
  }
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  function brand(c) {
    if (!/^#([0-9a-f]{3}){1,2}$/i.test(c || "")) return;
    if (c.length === 4) c = "#" + c[1] + c[1] + c[2] + c[2] + c[3] + c[3];
    var y = [1, 3, 5].map(function (i) {
      var v = parseInt(c.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var lum = 0.2126 * y[0] + 0.7152 * y[1] + 0.0722 * y[2];
    var st = document.documentElement.style;
    st.setProperty("--b", c);
    // White text unless it falls below 4.5:1 on this colour; black then reaches at least 4.6:1.
    st.setProperty("--ob", 1.05 / (lum + 0.05) >= 4.5 ? "#fff" : "#000");
  }
  brand(cfg.color);

  var A; // the reactive component, once Alpine has made it
  var bootColor = null;
  // The host page's address, as the loader last told it (shown to agents as "Current page").
  var page = null;
  function onPage(d) { if (typeof d.page === "string") page = d.page.slice(0, 2048); }
  // sessionP: the session under way or done, null before start() (and after shutdown).
  var token = null, user = null, gen = 0, fatal = false, sessionP = null;
  var ws = null, wsReady = false, attempt = 0, reTimer, fbTimer, pollTimer, polling = false, pollBusy = false;
  var lastSeq = 0, lastRead = 0, readSent = 0, unread = -1, ids = {}, seqs = {}, gapAt = -1, gapT = 0;
  // typingAt: when "typing on" was last sent, 0 while it is off.
  var typingAt = 0, typingIdle, typingHide, nid = 0, watch = {}, inflight = {}, actx;
  // The transcript's rows and their dates as `items` last made them, by row key.
  var rows = {}, dates = {};
  var initial = fromStore();

  function post(type, f) {
    if (framed && host) parent.postMessage(Object.assign({ sd: "supportdesk", type: type }, f), host);
  }
  var visible = function () { return A.open && document.visibilityState === "visible"; };
  var later = function (fn) { return window.Alpine.nextTick(fn); };

  // ---- session -------------------------------------------------------------------------------
  function start() {
    if (sessionP || fatal) return sessionP;
    return session();
  }

  /** The connection is down: the reason to show while it is retried. */
  function lost() {
    A.conn = navigator.onLine === false ? "offline" : "reconnecting";
  }

  function session() {
    var g = gen;
    if (A.conn !== "connected") A.conn = A.conn === "idle" ? "connecting" : "reconnecting";
    return (sessionP = api("POST", "/api/v1/widget/session", { inbox: PK, token: token || undefined, user: user || undefined, locale: L, page: page || undefined }, true)
      .then(function (r) { if (g === gen) applySession(r); })
      .catch(function (e) {
        if (g !== gen) return;
        var stop = { identity_required: "errIdentity", origin_not_allowed: "errOrigin", unknown_inbox: "errUnavailable", identity_invalid: "errUnavailable" }[e.code];
        if (stop) return halt(S[stop]);
        lost();
        reTimer = setTimeout(session, e.retryAfter ? e.retryAfter * 1000 : backoff());
      }));
  }

  function applySession(r) {
    token = r.token;
    save("token", token);
    if (A.contact && A.contact.id !== r.contact.id) clearView();
    A.contact = r.contact;
    if (!A.email) A.email = r.contact.email || "";
    Object.assign(A.inbox, r.inbox);
    if (!bootColor) brand(r.inbox.color);
    var convId = r.conversation ? r.conversation.id : null;
    if (load("conv", null) !== convId) { lastRead = 0; save("lastRead", 0); save("conv", convId); }
    r.messages.forEach(function (m) { add(m, false); });
    if (r.lastSeq > lastSeq) lastSeq = r.lastSeq;
    fatal = false;
    A.fatal = "";
    if (r.conversation) status(r.conversation);
    syncUnread();
    bottom();
    post("ready");
    connect();
  }

  function api(method, path, body, anon) {
    var h = { "content-type": "application/json" };
    if (!anon) h.authorization = "Bearer " + token;
    return fetch(path, { method: method, headers: h, body: body ? JSON.stringify(body) : undefined, credentials: "omit" })
      .then(function (res) {
        return res.json().catch(function () { return {}; }).then(function (data) {
          if (res.ok) return data;
          var e = (data && data.error) || {};
          throw { status: res.status, code: e.code, message: e.message, retryAfter: e.retryAfter || +res.headers.get("retry-after") || 0 };
        });
      });
  }

  function halt(text) {
    fatal = true;
    A.fatal = text;
    A.conn = "offline";
    closeSocket();
    stopPolling();
  }

  // ---- socket --------------------------------------------------------------------------------
  var backoff = function () { return Math.random() * Math.min(30000, 500 * Math.pow(2, attempt++)); };

  function connect() {
    clearTimeout(reTimer);
    if (ws || !token || fatal) return;
    var sock = (ws = new WebSocket(location.origin.replace(/^http/, "ws") + "/ws/widget"));
    var reauth = false;
    // Measured from the first try: quick failed retries must not keep postponing the fallback.
    if (!polling && !fbTimer) fbTimer = setTimeout(startPolling, 5000);
    sock.onopen = function () { sock.send(JSON.stringify({ type: "auth", token: token, page: page || undefined })); };
    sock.onmessage = function (e) {
      if (ws !== sock) return;
      var f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      if (f.type === "error" && f.code === "unauthorized") reauth = true;
      frame(f);
    };
    sock.onclose = function () {
      if (ws !== sock) return;
      ws = null;
      wsReady = false;
      if (fatal) return;
      if (!polling) lost();
      reTimer = setTimeout(reauth ? session : connect, backoff());
    };
  }

  function closeSocket() {
    var s = ws;
    ws = null;
    wsReady = false;
    clearTimeout(reTimer);
    clearTimeout(fbTimer);
    fbTimer = null;
    if (s) s.close();
  }

  function send(f) {
    if (wsReady) ws.send(JSON.stringify(f));
  }

  function frame(f) {
    switch (f.type) {
      case "ready":
        wsReady = true;
        attempt = 0;
        clearTimeout(fbTimer);
        fbTimer = null;
        stopPolling();
        A.conn = "connected";
        presence(f.agentsOnline);
        readSent = 0;
        if (f.conversation) { status(f.conversation); resume(); }
        flush(true);
        syncUnread();
        break;
      case "ack": acked(f.clientId, f.message); break;
      case "message": add(f.message, true); break;
      case "status":
        // A conversation we did not know yet (created by this or another tab): subscribe and replay.
        var fresh = f.conversation && (!A.conv || A.conv.id !== f.conversation);
        status(f);
        if (fresh) resume();
        break;
      case "typing":
        clearTimeout(typingHide);
        A.typing = !!f.on;
        if (f.on) { typingHide = setTimeout(function () { A.typing = false; }, 6000); bottom(); }
        break;
      case "read":
        if (A.conv && f.seq > A.conv.agentReadSeq) A.conv.agentReadSeq = f.seq;
        break;
      case "presence": presence(f.agentsOnline); break;
      case "error": refused(f); break;
    }
  }

  function resume() {
    send({ type: "resume", lastSeq: lastSeq });
  }

  function presence(on) {
    if (typeof on === "boolean") A.inbox.agentsOnline = on;
  }

  // ---- HTTP fallback -------------------------------------------------------------------------
  function startPolling() {
    fbTimer = null;
    if (polling || wsReady || !token || fatal) return;
    polling = true;
    poll();
  }

  function stopPolling() {
    polling = false;
    clearTimeout(pollTimer);
  }

  function poll() {
    clearTimeout(pollTimer);
    if (!polling || pollBusy) return;
    pollBusy = true;
    var g = gen;
    flush(false);
    api("GET", "/api/v1/widget/messages?after=" + lastSeq)
      .then(function (r) {
        if (g !== gen || !polling) return;
        A.conn = "connected";
        if (r.conversation) status(r.conversation);
        r.messages.forEach(function (m) { add(m, true); });
        return r.messages.length >= 500;
      })
      .catch(function (e) {
        if (e.status === 401) { stopPolling(); closeSocket(); return session(); }
        if (e.code === "origin_not_allowed") return refused(e);
        lost();
      })
      .then(function (more) {
        pollBusy = false;
        if (polling) pollTimer = setTimeout(poll, more ? 0 : 3000);
      });
  }

  // ---- messages ------------------------------------------------------------------------------
  function add(m, live) {
    if (!m || !m.id || ids[m.id]) return;
    ids[m.id] = 1;
    seqs[m.seq] = 1;
    var list = A.msgs, i = list.length;
    while (i > 0 && list[i - 1].seq > m.seq) i--;
    list.splice(i, 0, m);
    if (m.sender === "customer" && m.clientId) drop(m.clientId);
    // lastSeq is the highest seq below which nothing is missing: a gap is fetched, not skipped.
    var gap = m.seq > lastSeq + 1;
    while (seqs[lastSeq + 1]) lastSeq++;
    // One resume per gap (the messages after it would ask again until the replay lands); ask once
    // more if the gap is still open a few seconds later.
    if (gap && live && (gapAt !== lastSeq || Date.now() - gapT > 3000)) {
      gapAt = lastSeq;
      gapT = Date.now();
      resume();
    }
    if (!live) return;
    if (m.sender === "agent" || m.sender === "bot") {
      var name = who(m);
      if (m.sender === "agent") {
        A.typing = false;
        if (!visible()) beep();
      }
      A.announce = t("newMessage", { name: name, body: m.body });
      post("message", { message: m });
    }
    syncUnread();
    bottom();
  }

  var who = function (m) { return m.sender === "agent" ? m.agentName || S.agent : m.sender === "bot" ? S.bot : ""; };

  function acked(cid, m) {
    drop(cid);
    A.error = "";
    add(m, true);
  }

  function drop(cid) {
    clearTimeout(watch[cid]);
    var n = A.outbox.filter(function (e) { return e.clientId !== cid; });
    if (n.length !== A.outbox.length) { A.outbox = n; saveOutbox(); }
  }

  var find = function (cid) { return A.outbox.find(function (e) { return e.clientId === cid; }); };
  var saveOutbox = function () {
    save("outbox", A.outbox.map(function (e) { return { clientId: e.clientId, body: e.body, at: e.at }; }));
  };

  function transmit(e) {
    e.failed = false;
    e.wait = false;
    clearTimeout(watch[e.clientId]);
    watch[e.clientId] = setTimeout(function () { if (find(e.clientId)) e.failed = true; }, 15000);
    if (wsReady) return send({ type: "send", clientId: e.clientId, body: e.body });
    if (!polling || inflight[e.clientId]) return;
    inflight[e.clientId] = 1;
    api("POST", "/api/v1/widget/messages", { clientId: e.clientId, body: e.body })
      .then(function (r) { acked(e.clientId, r.message); }, function (err) { refused(Object.assign(err, { clientId: e.clientId })); })
      .then(function () { delete inflight[e.clientId]; });
  }

  /** Sends the outbox again, except what waits out a rate limit and, unless `failed`, what failed. */
  function flush(failed) {
    A.outbox.forEach(function (e) { if (!e.wait && (failed || !e.failed)) transmit(e); });
  }

  function refused(f) {
    var e = f.clientId && find(f.clientId);
    var c = f.code;
    if (c === "rate_limited") {
      var secs = f.retryAfter || 5;
      // A new conversation's budget refills after up to an hour: say minutes, not 3,412 s.
      A.error = secs < 90 ? t("errRateLimited", { s: num(secs) }) : t("errRateLimitedMinutes", { m: num(Math.ceil(secs / 60)) });
      if (e) {
        e.wait = true;
        clearTimeout(watch[e.clientId]);
        setTimeout(function () { if (find(e.clientId)) transmit(e); }, secs * 1000);
      }
    } else if (c === "empty" || c === "too_long" || c === "bad_text" || c === "bad_client_id") {
      A.error = c === "too_long" ? TOO_LONG : c === "empty" ? S.errEmpty : f.message || S.errServer;
      if (e) {
        drop(e.clientId);
        if (!A.draft) A.draft = e.body;
      }
    } else if (c === "origin_not_allowed") {
      halt(S.errOrigin);
    } else if (c !== "unauthorized" && c !== "bad_frame") {
      var final = f.status && f.status < 500;
      // The server did not store it and says so: send again by itself (1 s, 3 s, 9 s) before
      // asking the customer to press retry.
      if (e && !final && (e.tries || 0) < 3) {
        e.wait = true;
        clearTimeout(watch[e.clientId]);
        var n = e.tries || 0;
        e.tries = n + 1;
        setTimeout(function () { if (find(e.clientId)) transmit(e); }, 1000 * Math.pow(3, n) + Math.random() * 500);
        return;
      }
      A.error = final && f.message ? f.message : S.errServer;
      if (e) e.failed = true;
    }
  }

  // ---- reading, sound ------------------------------------------------------------------------
  function syncUnread() {
    if (visible()) {
      if (lastSeq > lastRead) { lastRead = lastSeq; save("lastRead", lastRead); }
      if (A.conv && lastRead > readSent && wsReady) {
        // Agents only learn something from a read that covers a reply: the customer's own messages
        // (their acks land here too) are not worth a write and a push each. The first one is sent.
        if (!readSent || replied(readSent, lastRead)) send({ type: "read", seq: lastRead });
        readSent = lastRead;
      }
    }
    var n = A.msgs.filter(function (m) { return m.seq > lastRead && (m.sender === "agent" || m.sender === "bot"); }).length;
    if (n !== unread) post("unread", { count: (unread = n) });
  }

  /** Whether an agent or the bot wrote anything in (from, to] (msgs are in seq order). */
  function replied(from, to) {
    for (var i = A.msgs.length - 1; i >= 0 && A.msgs[i].seq > from; i--) {
      var m = A.msgs[i];
      if (m.seq <= to && (m.sender === "agent" || m.sender === "bot")) return true;
    }
    return false;
  }

  function beep() {
    if (A.muted || !actx) return;
    try {
      var o = actx.createOscillator(), g = actx.createGain(), n = actx.currentTime;
      o.frequency.setValueAtTime(880, n);
      o.frequency.setValueAtTime(660, n + 0.09);
      g.gain.setValueAtTime(0.0001, n);
      g.gain.exponentialRampToValueAtTime(0.12, n + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, n + 0.3);
      o.connect(g).connect(actx.destination);
      o.start(n);
      o.stop(n + 0.32);
    } catch (e) { /* no audio here */ }
  }

  // Browsers only let audio start after a gesture inside this document, so unlock it on the first one.
  function unlock() {
    var C = window.AudioContext || window.webkitAudioContext;
    if (!actx && C) actx = new C();
    if (actx && actx.state === "suspended") actx.resume();
  }
  addEventListener("pointerdown", unlock, true);
  addEventListener("keydown", unlock, true);

  function bottom() {
    later(function () { var l = A.$refs.log; l.scrollTop = l.scrollHeight; });
  }

  // ---- conversation state --------------------------------------------------------------------
  function status(f) {
    if (!A.conv) A.conv = { id: null, status: null, queuePosition: null, agent: null, agentReadSeq: 0 };
    var c = A.conv;
    var was = c.status, wasAgent = c.agent && c.agent.name;
    if (f.id || f.conversation) c.id = f.id || f.conversation;
    c.status = f.status;
    if ("queuePosition" in f) c.queuePosition = f.queuePosition;
    if ("agent" in f) c.agent = f.agent;
    if (f.agentReadSeq > c.agentReadSeq) c.agentReadSeq = f.agentReadSeq;
    var name = c.agent && c.agent.name;
    if (was && c.status === "assigned" && name && (was !== "assigned" || name !== wasAgent)) note(t("joined", { name: name }));
    if (c.status === "closed" && was !== "closed") note(S.closed);
  }

  function note(text) {
    A.notes.push({ k: "n" + ++nid, t: "n", c: "sd-n", text: text, after: lastSeq, at: new Date().toISOString() });
    bottom();
  }

  function clearView() {
    A.msgs = [];
    A.notes = [];
    A.conv = null;
    ids = {};
    seqs = {};
    rows = {};
    dates = {};
    lastSeq = lastRead = readSent = 0;
  }

  /** The state the loader kept for us, before anything has started. */
  function restore(store) {
    var st = fromStore(store);
    A.outbox = st.outbox;
    A.muted = st.muted;
    A.awayEmail = st.away;
  }

  // A signed-in user comes with its proof: an identity token, or the id with its hash.
  function pickUser(u) {
    if (!u || (typeof u.token !== "string" && (typeof u.id !== "string" || typeof u.hash !== "string"))) return null;
    var o = {};
    ["id", "hash", "token", "email", "name"].forEach(function (k) { if (typeof u[k] === "string") o[k] = u[k]; });
    return o;
  }

  // ---- the host page -------------------------------------------------------------------------
  var fromHost = {
    boot: function (d) {
      if (d.inbox && d.inbox !== PK) return;
      var u = pickUser(d.user);
      if (sessionP && JSON.stringify(u) !== JSON.stringify(user)) return fromHost.identify(d);
      user = u;
      onPage(d);
      // A colour the site gives in `boot` wins over the inbox's saved one, here as on the launcher.
      if (/^#([0-9a-f]{3}){1,2}$/i.test(d.color || "")) brand((bootColor = d.color));
      if (!local && !sessionP && d.store && typeof d.store === "object") restore(d.store);
      // A first-time visitor who has not opened the chat costs nothing: no session, no socket.
      if (token || A.open || A.outbox.length) start();
    },
    open: function (d) {
      onPage(d);
      A.open = true;
      start();
      syncUnread();
      bottom();
      later(function () { A.$refs.field.focus(); });
    },
    close: function () {
      if (framed) A.open = false;
      typingOff();
    },
    identify: function (d) {
      user = pickUser(d.user);
      if (!sessionP) return;
      fatal = false;
      // Same token, now with the user: the server moves an anonymous visitor's chat over to them.
      gen++;
      closeSocket();
      stopPolling();
      session();
    },
    shutdown: function () {
      gen++;
      try {
        Object.keys(localStorage).forEach(function (k) { if (k.indexOf(KP) === 0) localStorage.removeItem(k); });
      } catch (e) { /* nothing stored */ }
      kept = {}; // the loader forgets its copy itself
      dirty = {};
      closeSocket();
      stopPolling();
      clearView();
      token = user = sessionP = null;
      fatal = false;
      A.fatal = "";
      A.outbox = [];
      A.contact = null;
      A.awayEmail = A.email = A.draft = A.error = "";
      A.muted = false;
      A.conn = "idle";
      unread = -1;
      syncUnread();
    },
    prefill: function (d) {
      if (typeof d.text !== "string") return;
      A.draft = d.text.slice(0, MAX);
      later(function () { grow(A.$refs.field); A.$refs.field.focus(); });
    },
  };

  addEventListener("message", function (e) {
    var d = e.data;
    if (!host || e.origin !== host || e.source !== parent || !d || d.sd !== "supportdesk") return;
    if (A && Object.prototype.hasOwnProperty.call(fromHost, d.type)) fromHost[d.type](d);
  });

  function typingOff() {
    clearTimeout(typingIdle);
    if (typingAt) { typingAt = 0; send({ type: "typing", on: false }); }
  }

  function grow(f) {
    f.style.height = "auto";
    f.style.height = Math.min(f.scrollHeight + 2, 140) + "px";
  }

  // ---- the Alpine component ------------------------------------------------------------------
  document.addEventListener("alpine:init", function () {
    window.Alpine.data("chat", function () {
      return {
        s: S,
        open: !framed,
        conn: "idle",
        inbox: { name: cfg.inboxName, greeting: "", handoffMode: "bot", agentsOnline: true },
        contact: null,
        conv: null,
        msgs: [],
        notes: [],
        outbox: initial.outbox,
        draft: "",
        error: "",
        fatal: "",
        typing: false,
        muted: initial.muted,
        email: "",
        awayEmail: initial.away,
        awayErr: "",
        announce: "",

        init: function () {
          A = this;
          this.$el.hidden = false;
          document.addEventListener("visibilitychange", syncUnread);
          document.addEventListener("keydown", function (e) {
            if (e.key === "Escape") A.minimise();
          });
          addEventListener("online", function () { attempt = 0; if (sessionP && !ws) connect(); });
          addEventListener("offline", function () { A.conn = "offline"; });
          if (!framed) fromHost.open({});
          // The launcher lives in the host page: it takes the inbox's saved look from here.
          post("loaded", { color: cfg.color, position: cfg.position });
        },

        get connLabel() {
          return { connecting: S.connConnecting, connected: S.connConnected, reconnecting: S.connReconnecting, offline: S.connOffline }[this.conn] || "";
        },
        get agentName() { return (this.conv && this.conv.agent && this.conv.agent.name) || ""; },
        get typingLabel() { return this.agentName ? t("typing", { name: this.agentName }) : S.typingSomeone; },
        get queueLabel() {
          var c = this.conv;
          if (!c || c.status !== "queued") return "";
          return c.queuePosition ? t("queuePosition", { n: num(c.queuePosition) }) : S.queueWaiting;
        },
        get canHandoff() {
          return !!this.contact && (this.conv ? this.conv.status === "bot" : this.inbox.handoffMode === "bot");
        },
        get away() { return !!this.contact && !this.inbox.agentsOnline; },
        get awayDone() { return t("awayDone", { email: this.awayEmail }); },
        get showGreeting() {
          return !!this.inbox.greeting && (this.inbox.handoffMode === "immediate" || !this.msgs.length);
        },
        get over() { return this.draft.length > MAX; },
        get counter() {
          var n = this.draft.length;
          if (n <= MAX - 500) return "";
          return n > MAX ? t("charsOver", { n: num(n - MAX) }) : t("charsLeft", { n: num(MAX - n) });
        },

        // The transcript: messages (in seq order), notes (each after the seq it was written at) and
        // then the outbox, merged, with a heading per day. Dates are worked out once per row, and a
        // row that did not change is the same object as before, so Alpine leaves its <li> alone.
        get items() {
          var out = [], day = "", prev = null, lastMine = null, today = new Date();
          var notes = this.notes, ni = 0, oldDates = dates, oldRows = rows;
          dates = {};
          rows = {};
          function dated(k, at) {
            var w = oldDates[k];
            if (!w || w.at !== at) {
              var d = new Date(at);
              w = { at: at, d: d, key: d.toDateString(), iso: d.toISOString(), time: fTime.format(d) };
            }
            return (dates[k] = w);
          }
          function heading(w) {
            if (w.key === day) return;
            day = w.key;
            var d = w.d, diff = Math.round((new Date(today.toDateString()) - new Date(day)) / 864e5);
            var text = diff === 0 ? S.today : diff === 1 ? S.yesterday
              : d.getFullYear() === today.getFullYear() ? fDay.format(d) : fDate.format(d);
            out.push({ k: "d" + day, t: "d", c: "sd-d", text: text });
            prev = null;
          }
          function noteRow(n) {
            heading(dated(n.k, n.at));
            out.push(n);
            prev = null;
          }
          function msgRow(k, m, w, e) {
            heading(w);
            var mine = m.sender === "customer", name = who(m);
            var r = {
              k: k, t: "m", c: "sd-m" + (mine ? " sd-me" : ""), mine: mine,
              who: prev && prev.sender === m.sender && who(prev) === name ? "" : name,
              body: m.body, iso: w.iso, time: w.time, seen: false,
              st: e ? (e.failed ? "failed" : "sending") : "", cid: e ? e.clientId : undefined, seq: m.seq,
            };
            if (mine && !e) lastMine = r;
            out.push(r);
            prev = m;
          }
          this.msgs.forEach(function (m) {
            while (ni < notes.length && notes[ni].after < m.seq) noteRow(notes[ni++]);
            msgRow(m.id, m, dated(m.id, m.createdAt), null);
          });
          while (ni < notes.length) noteRow(notes[ni++]);
          this.outbox.forEach(function (e) {
            var k = "o" + e.clientId;
            msgRow(k, { sender: "customer", body: e.body }, dated(k, e.at), e);
          });
          if (lastMine && this.conv) lastMine.seen = this.conv.agentReadSeq >= lastMine.seq;
          return out.map(function (r) {
            if (r.t === "n") return r;
            var o = oldRows[r.k];
            for (var f in r) if (!o || o[f] !== r[f]) { o = r; break; }
            return (rows[r.k] = o);
          });
        },

        send: function (ev) {
          if (ev) ev.preventDefault();
          var body = this.draft.trim();
          if (!body) return;
          if (body.length > MAX) { this.error = TOO_LONG; return; }
          var e = { clientId: uuid(), body: body, at: new Date().toISOString(), failed: false, wait: false };
          this.outbox.push(e);
          saveOutbox();
          this.draft = "";
          this.error = "";
          typingOff();
          later(function () { grow(A.$refs.field); });
          bottom();
          // Without a socket yet, `ready` (or the first poll) flushes the outbox.
          start();
          if (wsReady || polling) transmit(this.outbox[this.outbox.length - 1]);
        },
        retry: function (cid) {
          var e = find(cid);
          if (e) { e.tries = 0; transmit(e); }
          if (polling) poll();
        },
        enter: function (e) {
          if (e.key !== "Enter" || e.shiftKey || e.isComposing) return;
          e.preventDefault();
          this.send();
        },
        onInput: function (e) {
          grow(e.target);
          if (this.error === TOO_LONG && !this.over) this.error = "";
          if (!wsReady || !this.conv || !e.target.value) return;
          var now = Date.now();
          if (now - typingAt > 2000) { typingAt = now; send({ type: "typing", on: true }); }
          clearTimeout(typingIdle);
          typingIdle = setTimeout(typingOff, 3000);
        },
        handoff: function () {
          var p = start() || Promise.resolve();
          p.then(function () {
            if (wsReady) return send({ type: "handoff" });
            return api("POST", "/api/v1/widget/handoff").then(function (r) { status(r.conversation); }, refused);
          });
        },
        sendAway: function (ev) {
          ev.preventDefault();
          var email = this.email.trim();
          this.awayErr = "";
          api("POST", "/api/v1/widget/away", { email: email }).then(function (r) {
            A.awayEmail = (r.contact && r.contact.email) || email;
            save("away", A.awayEmail);
            if (r.conversation) { status(r.conversation); resume(); }
          }, function (e) {
            A.awayErr = e.code === "bad_email" ? S.badEmail : S.errServer;
          });
        },
        toggleMute: function () {
          this.muted = !this.muted;
          save("muted", this.muted);
        },
        minimise: function () {
          post("close");
          fromHost.close();
        },
      };
    });
  });
})();
