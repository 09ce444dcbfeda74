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
  // One fetch at a time. A change announced while a fetch runs may have missed that fetch
  // (it can have read the page before the change was committed): fetch once more after it.
  let running = false;
  async function refresh(wanted) {
    pending = pending || new Set();
    for (const k of wanted) pending.add(k);
    if (running) return;
    running = true;
    try {
      while (pending) {
        const now = pending;
        pending = null;
        const response = await fetch(location.href, { credentials: "same-origin" });
        if (!response.ok) continue;
        const page = new DOMParser().parseFromString(await response.text(), "text/html");
        for (const key of now) {
          const fresh = page.querySelector(`[data-live="${CSS.escape(key)}"]`);
          const here = document.querySelector(`[data-live="${CSS.escape(key)}"]`);
          if (fresh && here && fresh.innerHTML !== here.innerHTML) here.replaceWith(fresh);
        }
      }
    } catch (err) {
      pending = null; // offline for a moment: the socket's reopen refreshes everything
    } finally {
      running = false;
    }
  }
  open();
})();
