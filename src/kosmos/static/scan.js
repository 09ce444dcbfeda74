// Kosmos Scan & Pay: the camera scans through the browser's BarcodeDetector where there is
// one (otherwise the typed code always works); "my code" rotates every 30 seconds.
(function () {
  "use strict";
  const csrf = document.querySelector('meta[name="csrf-token"]')?.content || "";

  // --- camera -----------------------------------------------------------------------------
  const box = document.querySelector("[data-scanner]");
  const start = document.querySelector("[data-scanner-start]");
  const form = document.querySelector("[data-scan-form]");
  if (box && start && form && "BarcodeDetector" in window && navigator.mediaDevices) {
    start.hidden = false;
    const video = box.querySelector("video");
    let stream = null;
    const stop = () => { if (stream) stream.getTracks().forEach((t) => t.stop()); stream = null; box.hidden = true; };
    box.querySelector("[data-scanner-stop]").addEventListener("click", stop);
    start.addEventListener("click", async () => {
      const formats = ["qr_code", "ean_13", "ean_8", "upc_a"];
      const detector = new window.BarcodeDetector({ formats });
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      } catch (err) { return; }
      video.srcObject = stream;
      box.hidden = false;
      await video.play();
      const tick = async () => {
        if (!stream) return;
        const found = await detector.detect(video).catch(() => []);
        if (found.length) {
          form.querySelector("[name=code]").value = found[0].rawValue;
          stop();
          // the till still types the amount; the customer's phone submits at once
          if (!("scanFillOnly" in form.dataset)) form.requestSubmit();
          return;
        }
        requestAnimationFrame(tick);
      };
      tick();
    });
  }

  // --- my code --------------------------------------------------------------------------------
  const mine = document.querySelector("[data-my-code]");
  if (mine) {
    const seconds = Number(mine.dataset.seconds || 30);
    const digits = mine.querySelector("[data-testid=customer-code]");
    const qr = mine.querySelector("[data-qr]");
    const countdown = mine.querySelector("[data-countdown]");
    let left = seconds;
    async function rotate() {
      const response = await fetch("/api/v1/places/customer-codes", {
        method: "POST", credentials: "same-origin",
        headers: { "X-CSRF-Token": csrf, Accept: "application/json" },
      });
      if (!response.ok) return;
      const code = await response.json();
      const image = await fetch(`/scan/my-code/qr.svg?code=${code.code}`, { credentials: "same-origin" });
      if (image.ok) qr.innerHTML = await image.text();
      digits.textContent = code.display;
      digits.dataset.code = code.code;
      left = code.seconds;
    }
    setInterval(() => {
      left -= 1;
      if (left <= 0) { left = seconds; rotate(); }
      countdown.textContent = String(Math.max(left, 0));
    }, 1000);
  }
})();
