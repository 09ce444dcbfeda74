// Kosmos: a household's lists stay live: when any member changes one, the page reloads it.
(function () {
  "use strict";
  const lists = new Set([...document.querySelectorAll("[data-list]")].map((n) => n.dataset.list));
  if (!lists.size) return;
  let retry = 0;
  function open() {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${location.host}/api/v1/chat/events`);
    socket.onopen = () => { retry = 0; };
    socket.onmessage = (msg) => {
      const event = JSON.parse(msg.data);
      if (event.type === "list_updated" && lists.has(String(event.list_id))) refresh();
    };
    socket.onclose = () => { retry = Math.min(retry + 1, 6); setTimeout(open, 300 * 2 ** retry); };
  }
  async function refresh() {
    const response = await fetch(location.pathname, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    for (const id of lists) {
      const fresh = page.querySelector(`[data-list="${id}"] [data-items]`);
      const here = document.querySelector(`[data-list="${id}"] [data-items]`);
      if (fresh && here) here.replaceWith(fresh);
    }
  }
  open();
})();
