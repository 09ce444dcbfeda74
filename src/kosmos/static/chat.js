// Kosmos chat: the chat list and a conversation, kept live over the WebSocket.
// Everything a person wrote is put into the page with textContent (never as HTML).
"use strict";
(() => {
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

  async function api(method, url, body, isForm) {
    const headers = { "X-CSRF-Token": csrf, Accept: "application/json" };
    if (body !== undefined && !isForm) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json().catch(() => null);
    if (!response.ok) {
      const message = data?.errors?.[0]?.message || data?.detail || data?.title || response.statusText;
      throw Object.assign(new Error(message), { status: response.status, problem: data });
    }
    return data;
  }

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // --- the socket: one per page, resumes its queue after a drop ----------------------------
  function connect(onEvent, onState) {
    let socket, retry = 0, closed = false;
    const key = "kosmos.chat.queue";
    function open() {
      const saved = JSON.parse(sessionStorage.getItem(key) || "null");
      const query = saved ? `?queue_id=${encodeURIComponent(saved.queue_id)}&last_event_id=${saved.last}` : "";
      const scheme = location.protocol === "https:" ? "wss" : "ws";
      socket = new WebSocket(`${scheme}://${location.host}/api/v1/chat/events${query}`);
      socket.onopen = () => { retry = 0; onState(true); };
      socket.onmessage = (msg) => {
        const event = JSON.parse(msg.data);
        if (event.type === "hello" || event.type === "queue_expired") {
          sessionStorage.setItem(key, JSON.stringify({ queue_id: event.queue_id, last: event.last_event_id }));
        } else if (event.id) {
          const saved = JSON.parse(sessionStorage.getItem(key) || "null");
          if (saved) sessionStorage.setItem(key, JSON.stringify({ queue_id: saved.queue_id, last: event.id }));
        }
        onEvent(event);
      };
      socket.onclose = () => {
        onState(false);
        if (closed) return;
        retry = Math.min(retry + 1, 6);
        setTimeout(open, 300 * 2 ** retry);
      };
    }
    open();
    window.addEventListener("pagehide", () => { closed = true; socket.close(); });
    return { send: (frame) => socket.readyState === 1 && socket.send(JSON.stringify(frame)) };
  }

  // --- the chat list -----------------------------------------------------------------------
  const list = document.querySelector("[data-live-list]");
  if (list) {
    let pending = null;
    const refresh = () => {
      clearTimeout(pending);
      pending = setTimeout(async () => {
        const data = await api("GET", "/api/v1/chat/conversations");
        list.replaceChildren(...data.items.map(chatRow));
      }, 150);
    };
    connect((event) => {
      if (["message", "message_updated", "receipt", "conversation", "removed", "settings"].includes(event.type)) refresh();
    }, () => {});
  }

  // Web Push: offered on the chat list; the browser asks for permission on the click.
  const offer = document.getElementById("push-offer");
  if (offer && "serviceWorker" in navigator && "PushManager" in window && Notification.permission !== "denied") {
    navigator.serviceWorker.ready.then(async (registration) => {
      if (await registration.pushManager.getSubscription()) return;  // already on
      offer.hidden = false;
      document.getElementById("push-on").addEventListener("click", async () => {
        const state = document.getElementById("push-state");
        try {
          const { public_key } = await api("GET", "/api/v1/push/vapid-public-key");
          const key = Uint8Array.from(atob(public_key.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
          const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
          const json = subscription.toJSON();
          await api("POST", "/api/v1/push/subscriptions", { endpoint: json.endpoint, keys: json.keys });
          offer.hidden = true;
        } catch (err) { state.textContent = err.message; }
      });
    });
  }

  function chatRow(c) {
    const li = el("li", "chat-row" + (c.unread ? " unread" : ""));
    li.dataset.chat = c.id;
    const a = el("a");
    a.href = `/chats/${c.id}`;
    const main = el("span", "chat-main");
    const name = el("span", "chat-name", (c.pinned ? "📌 " : "") + c.name + (c.muted ? " 🔕" : ""));
    main.append(name, el("span", "chat-preview muted", c.last_message ? c.last_message.text : ""));
    const meta = el("span", "chat-meta");
    meta.append(el("small", "", new Date(c.last_activity_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
    if (c.unread) meta.append(el("span", "badge", String(c.unread)));
    const avatar = el("span", "avatar chat-avatar", c.initials);
    avatar.setAttribute("aria-hidden", "true");
    a.append(avatar, main, meta);
    li.append(a);
    return li;
  }

  // --- a conversation ----------------------------------------------------------------------
  const root = document.getElementById("chat");
  if (!root) return;
  const conversationId = Number(root.dataset.conversation);
  const me = Number(root.dataset.me);
  const group = root.dataset.kind === "group";
  const t = JSON.parse(document.getElementById("chat-i18n").textContent);
  const members = new Map(JSON.parse(document.getElementById("chat-members").textContent).map((m) => [m.user_id, m]));
  const listEl = document.getElementById("message-list");
  const scroller = document.getElementById("messages");
  const older = document.getElementById("older");
  const typingEl = document.getElementById("typing");
  const messages = new Map();
  let beforeCursor = null, loadingOlder = false, replyTo = null, reactTarget = null, editing = null;

  function tick(id) {
    const others = [...members.values()].filter((m) => m.user_id !== me);
    if (!others.length) return "sent";
    if (others.every((m) => m.last_read_id >= id)) return "read";
    if (others.every((m) => Math.max(m.last_delivered_id, m.last_read_id) >= id)) return "delivered";
    return "sent";
  }

  function render(m) {
    const mine = m.sender && m.sender.id === me;
    const li = el("li", "msg " + (mine ? "mine" : m.sender ? "theirs" : "kosmos"));
    li.dataset.id = m.id;
    if (group && !mine) li.append(el("span", "msg-sender", m.sender ? m.sender.name : (m.card && m.card.handler === "assistant" ? "Kosmo" : "Kosmos")));
    if (m.reply_to) {
      const q = el("blockquote", "msg-quote");
      q.append(el("strong", "", m.reply_to.sender_name), el("span", "", " " + (m.reply_to.deleted ? t.deleted : m.reply_to.text)));
      li.append(q);
    }
    if (m.deleted) {
      li.append(el("p", "msg-text deleted muted", t.deleted));
    } else {
      if (m.image) {
        const a = el("a");
        a.href = m.image.url; a.target = "_blank"; a.rel = "noopener";
        const img = el("img", "msg-image");
        img.src = m.image.thumbnail_url; img.alt = ""; img.loading = "lazy";
        a.append(img); li.append(a);
      }
      if (m.text) li.append(el("p", "msg-text", m.text));
      if (m.card) li.append(renderCard(m));
    }
    const meta = el("span", "msg-meta");
    meta.append(el("time", "", new Date(m.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })));
    if (m.edited && !m.deleted) meta.append(el("span", "", " · " + t.edited));
    if (mine && !m.deleted) {
      const state = tick(m.id);
      const ticks = el("span", "ticks " + state, state === "sent" ? " ✓" : " ✓✓");
      ticks.title = t[state]; ticks.setAttribute("aria-label", t[state]); ticks.dataset.ticks = "";
      meta.append(ticks);
    }
    li.append(meta);
    if (m.reactions.length) {
      const bar = el("div", "reactions");
      for (const r of m.reactions) {
        const b = el("button", "reaction" + (r.user_ids.includes(me) ? " mine" : ""), `${r.emoji} ${r.count}`);
        b.type = "button";
        b.title = r.user_ids.map((u) => (u === me ? t.you : members.get(u)?.name || "?")).join(", ");
        b.addEventListener("click", () => react(m.id, r.emoji));
        bar.append(b);
      }
      li.append(bar);
    }
    if (!m.deleted && root.dataset.active === "true") {
      const actions = el("div", "msg-actions");
      const add = (label, fn) => { const b = el("button", "link", label); b.type = "button"; b.addEventListener("click", fn); actions.append(b); };
      add(t.reply, () => startReply(m));
      add(t.react, (e) => openPicker(e.currentTarget, m.id));
      if (mine && (m.kind === "text" || m.kind === "image")) add(t.edit, () => startEdit(m));
      if (mine) add(t.delete, () => { if (confirm(t.confirm_delete)) api("DELETE", `/api/v1/chat/messages/${m.id}`).then(upsert); });
      li.append(actions);
    }
    return li;
  }

  function renderCard(m) {
    const card = el("div", "msg-card" + (m.card.type ? " card-" + m.card.type : ""));
    card.dataset.card = m.card.type || "";
    card.append(el("strong", "", m.card.title));
    for (const f of m.card.fields || []) card.append(el("p", "", `${f.label}: ${f.value}`));
    if (m.card.image && m.card.image.url.startsWith("/")) {
      const img = el("img", "card-image");
      img.src = m.card.image.url;
      img.alt = m.card.image.alt || "";
      img.width = img.height = m.card.image.size || 160;
      card.append(img);
    }
    const press = (action, value) => api("POST", `/api/v1/chat/messages/${m.id}/actions`, { action, value }).then(upsert).catch(showError);
    if (m.card.checklist) {
      const list = el("ul", "card-checklist");
      for (const entry of m.card.checklist) {
        const li = el("li", entry.done ? "done" : "");
        const box = el("button", "card-check", (entry.done ? "☑ " : "☐ ") + entry.label);
        box.type = "button";
        box.setAttribute("role", "checkbox");
        box.setAttribute("aria-checked", entry.done ? "true" : "false");
        box.addEventListener("click", () => press("toggle", entry.value));
        li.append(box);
        if (entry.detail) li.append(el("small", "card-detail", entry.detail));
        list.append(li);
      }
      card.append(list);
    }
    if (m.card.note) card.append(el("p", "card-note", m.card.note));
    const tally = new Map((m.card.tally || []).map((x) => [x.value, x]));
    for (const b of m.card.buttons || []) {
      const count = tally.get(b.value);
      const button = el("button", "secondary card-button" + (count?.user_ids.includes(me) ? " chosen" : ""),
        count ? `${b.label} · ${count.count}` : b.label);
      button.type = "button";
      button.addEventListener("click", () => press(b.action, b.value));
      card.append(button);
    }
    for (const link of m.card.links || []) {
      const a = el("a", "card-link", link.label);
      a.href = link.url;
      card.append(a);
    }
    return card;
  }

  function upsert(m) {
    if (m.conversation_id !== conversationId) return;
    messages.set(m.id, m);
    const fresh = render(m);
    const existing = listEl.querySelector(`li[data-id="${m.id}"]`);
    if (existing) { existing.replaceWith(fresh); return; }
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 80;
    const after = [...listEl.children].find((li) => Number(li.dataset.id) > m.id);  // one total order: ids
    listEl.insertBefore(fresh, after || null);
    if (!after && (atBottom || (m.sender && m.sender.id === me))) scroller.scrollTop = scroller.scrollHeight;
  }

  function refreshTicks() {
    for (const [id, m] of messages) if (m.sender && m.sender.id === me) upsert(m);
  }

  async function loadNewest() {
    const page = await api("GET", `/api/v1/chat/conversations/${conversationId}/messages?limit=40`);
    listEl.replaceChildren();
    messages.clear();
    page.items.forEach(upsert);
    beforeCursor = page.before_cursor;
    older.textContent = beforeCursor ? t.older : t.start;
    scroller.scrollTop = scroller.scrollHeight;
    markRead();
  }

  async function loadOlder() {
    if (!beforeCursor || loadingOlder) return;
    loadingOlder = true;
    const height = scroller.scrollHeight;
    const page = await api("GET", `/api/v1/chat/conversations/${conversationId}/messages?limit=40&before=${beforeCursor}`);
    page.items.forEach(upsert);
    beforeCursor = page.before_cursor;
    older.textContent = beforeCursor ? t.older : t.start;
    scroller.scrollTop = scroller.scrollHeight - height;  // keep what the reader was looking at
    loadingOlder = false;
  }
  new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadOlder(), { root: scroller }).observe(older);
  older.addEventListener("click", loadOlder);

  let lastMarked = 0;
  function markRead() {
    const newest = Math.max(0, ...messages.keys());
    if (document.visibilityState !== "visible" || newest <= lastMarked || root.dataset.active !== "true") return;
    lastMarked = newest;
    socket.send({ type: "read", conversation_id: conversationId, message_id: newest });
  }
  document.addEventListener("visibilitychange", markRead);

  const typingTimers = new Map();
  function showTyping(userId) {
    clearTimeout(typingTimers.get(userId));
    typingTimers.set(userId, setTimeout(() => { typingTimers.delete(userId); drawTyping(); }, 4000));
    drawTyping();
  }
  function drawTyping() {
    typingEl.textContent = [...typingTimers.keys()].map((u) => t.typing.replace("%(name)s", members.get(u)?.name || "?")).join(" ");
  }

  const socket = connect((event) => {
    if (event.type === "queue_expired") { loadNewest(); return; }
    if (event.type === "message" && event.message.conversation_id === conversationId) {
      upsert(event.message);
      const from = event.message.sender?.id;
      if (from) { typingTimers.delete(from); drawTyping(); }
      if (from !== me) socket.send({ type: "delivered", conversation_id: conversationId, message_id: event.message.id });
      markRead();
    } else if (event.type === "message_updated") {
      upsert(event.message);
    } else if (event.type === "receipt" && event.conversation_id === conversationId) {
      const m = members.get(event.user_id);
      if (m) { m.last_read_id = event.last_read_id; m.last_delivered_id = event.last_delivered_id; refreshTicks(); }
    } else if (event.type === "typing" && event.conversation_id === conversationId) {
      showTyping(event.user_id);
    } else if ((event.type === "removed" || event.type === "conversation") && event.conversation_id === conversationId) {
      location.reload();
    }
  }, (online) => {
    root.classList.toggle("offline", !online);
    if (online && messages.size) loadNewest();
  });

  // --- composing ---------------------------------------------------------------------------
  const form = document.getElementById("composer");
  loadNewest().catch(() => { older.textContent = t.offline; });
  if (!form) return;
  const text = document.getElementById("message-text");
  const error = document.getElementById("message-error");
  const picker = document.getElementById("emoji-picker");
  const emojiButton = document.getElementById("emoji-button");
  const replyBar = document.getElementById("reply-bar");

  function showError(err) {
    error.textContent = err.message;
    text.setAttribute("aria-invalid", "true");
  }
  function clearError() { error.textContent = ""; text.removeAttribute("aria-invalid"); }

  function startReply(m) {
    replyTo = m.id; editing = null;
    document.getElementById("reply-text").textContent = `${m.sender ? m.sender.name : "Kosmos"}: ${m.text || "📷"}`;
    replyBar.hidden = false; text.focus();
  }
  function startEdit(m) {
    editing = m.id; replyTo = null;
    document.getElementById("reply-text").textContent = `${t.edit}: ${m.text}`;
    replyBar.hidden = false; text.value = m.text; text.focus();
  }
  document.getElementById("reply-cancel").addEventListener("click", () => {
    replyTo = editing = null; replyBar.hidden = true; text.value = "";
  });

  async function submit() {
    const value = text.value;
    clearError();
    try {
      if (editing) {
        upsert(await api("PATCH", `/api/v1/chat/messages/${editing}`, { text: value }));
      } else {
        const body = { text: value, client_id: crypto.randomUUID() };
        if (replyTo) body.reply_to_id = replyTo;
        upsert(await api("POST", `/api/v1/chat/conversations/${conversationId}/messages`, body));
      }
      text.value = ""; replyTo = editing = null; replyBar.hidden = true;
    } catch (err) { showError(err); }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); submit(); });
  text.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); submit(); }
  });
  let lastTyping = 0;
  text.addEventListener("input", () => {
    clearError();
    if (Date.now() - lastTyping > 3000) { lastTyping = Date.now(); socket.send({ type: "typing", conversation_id: conversationId }); }
  });

  function openPicker(anchor, messageId) {
    const target = messageId ?? null;
    const closing = !picker.hidden && reactTarget === target;
    reactTarget = target;
    picker.hidden = closing;
    emojiButton.setAttribute("aria-expanded", String(!picker.hidden));
    if (!picker.hidden) picker.querySelector("button")?.focus();
  }
  emojiButton.addEventListener("click", () => openPicker(emojiButton, undefined));
  picker.addEventListener("click", (e) => {
    const emoji = e.target.closest("[data-emoji]")?.dataset.emoji;
    if (!emoji) return;
    if (reactTarget) { react(reactTarget, emoji); }
    else {
      const at = text.selectionStart ?? text.value.length;
      text.value = text.value.slice(0, at) + emoji + text.value.slice(text.selectionEnd ?? at);
      text.focus();
    }
    picker.hidden = true; emojiButton.setAttribute("aria-expanded", "false"); reactTarget = null;
  });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape") picker.hidden = true; });

  function react(messageId, emoji) {
    api("POST", `/api/v1/chat/messages/${messageId}/reactions`, { emoji }).then(upsert).catch(showError);
  }

  document.getElementById("image-input").addEventListener("change", async (e) => {
    const file = e.target.files[0];
    e.target.value = "";
    if (!file) return;
    clearError();
    try {
      const data = new FormData();
      data.append("file", file);
      const uploaded = await api("POST", `/api/v1/chat/conversations/${conversationId}/attachments`, data, true);
      upsert(await api("POST", `/api/v1/chat/conversations/${conversationId}/messages`,
        { text: text.value, attachment_id: uploaded.id, client_id: crypto.randomUUID() }));
      text.value = "";
    } catch (err) { showError(err); }
  });
})();
