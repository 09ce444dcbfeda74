// Kosmos: tiny progressive enhancements. Pages work without JavaScript.
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js").catch(() => {});
}
