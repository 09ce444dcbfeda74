// Kosmos: parts of a page that stay live. An element with data-live="KEY" is fetched
// again (from the same address) whenever the server says KEY changed (a "page_updated"
// event on the chat's event socket, sent after the change was committed). Pages that
// need more can listen to the "kosmos:live" event on document.
(function () {
  "use strict";
  const keys = () => new Set([...document.querySelectorAll("[data-live]")].map((n) => n.dataset.live));
  if (!keys().size) return;
  let retry = 0;
  let pending = null;
  function open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/chat/events`);
    socket.onopen = () => { retry = 0; document.documentElement.dataset.liveReady = "1"; refresh(keys()); };
    socket.onmessage = (msg) => {
      const event = JSON.parse(msg.data);
      if (event.type !== "page_updated" || !keys().has(event.key)) return;
      document.dispatchEvent(new CustomEvent("kosmos:live", { detail: event }));
      refresh(new Set([event.key]));
    };
    socket.onclose = () => {
      delete document.documentElement.dataset.liveReady;
      retry = Math.min(retry + 1, 6);
      setTimeout(open, 300 * 2 ** retry);
    };
  }
  async function refresh(wanted) {
    if (pending) { for (const k of wanted) pending.add(k); return; }
    pending = new Set(wanted);
    try {
      const response = await fetch(location.href, { credentials: "same-origin" });
      if (!response.ok) return;
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      for (const key of pending) {
        const fresh = page.querySelector(`[data-live="${CSS.escape(key)}"]`);
        const here = document.querySelector(`[data-live="${CSS.escape(key)}"]`);
        if (fresh && here && fresh.innerHTML !== here.innerHTML) here.replaceWith(fresh);
      }
    } finally {
      pending = null;
    }
  }
  open();
})();
