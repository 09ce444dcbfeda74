// Kosmos Scan&Go: scan with the camera where the browser can read barcodes.
(function () {
  "use strict";
  const form = document.querySelector("form[data-scanner]");
  if (!form || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  const button = form.querySelector("[data-scanner-start]");
  const video = form.querySelector("video");
  const input = form.querySelector("input[name=code]");
  if (!button || !video || !input) return;
  button.hidden = false;
  let stream = null;
  let detector = null;
  async function start() {
    const wanted = form.dataset.scanner.split(",");
    const supported = await window.BarcodeDetector.getSupportedFormats();
    const formats = wanted.filter((f) => supported.includes(f));
    if (!formats.length) { button.hidden = true; return; }
    detector = new window.BarcodeDetector({ formats });
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
    video.srcObject = stream;
    video.hidden = false;
    button.setAttribute("aria-pressed", "true");
    await video.play();
    look();
  }
  function stop() {
    if (stream) stream.getTracks().forEach((t) => t.stop());
    stream = null;
    video.hidden = true;
    button.setAttribute("aria-pressed", "false");
  }
  async function look() {
    if (!stream) return;
    try {
      const found = await detector.detect(video);
      if (found.length) {
        input.value = found[0].rawValue;
        stop();
        form.requestSubmit();
        return;
      }
    } catch (err) { /* a frame that could not be read: try the next */ }
    setTimeout(look, 150);
  }
  button.addEventListener("click", () => {
    if (stream) { stop(); return; }
    start().catch(() => { stop(); button.hidden = true; input.focus(); });
  });
  window.addEventListener("pagehide", stop);
})();
