// 使用单位确认: a signature pad (vendor/signature_pad, global SignaturePad) on the confirmation page.
// The canvas fills its box at any width (a phone's 390 px too) and draws at the screen's devicePixelRatio; on
// submit the drawing goes as a PNG data URL in the hidden `signature` field, which the server turns into the PNG
// file the service stores. An empty pad is refused here (and again on the server).
(function () {
  function initSignature(form) {
    const canvas = form.querySelector("[data-signature-canvas]");
    const input = form.querySelector("input[name=signature]");
    const empty = form.querySelector("[data-signature-empty]");
    const submit = form.querySelector("button:not([type=button])");
    if (!canvas || !input || typeof SignaturePad === "undefined") return;
    const pad = new SignaturePad(canvas, { penColor: "#0b1f4d", minWidth: 0.8, maxWidth: 2.8 });

    // The canvas's own pixels follow its CSS size times devicePixelRatio (sharp strokes on phones); the strokes
    // drawn so far are kept through a resize or a rotation.
    function resize() {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const width = Math.round(canvas.offsetWidth * ratio);
      const height = Math.round(canvas.offsetHeight * ratio);
      if (!width || !height || (canvas.width === width && canvas.height === height)) return;
      const strokes = pad.toData();
      canvas.width = width;
      canvas.height = height;
      canvas.getContext("2d").scale(ratio, ratio);
      pad.clear();
      pad.fromData(strokes);
    }
    window.addEventListener("resize", resize);
    resize();

    const hideMessage = () => empty && empty.classList.add("d-none");
    pad.addEventListener("beginStroke", hideMessage);
    form.querySelector("[data-signature-clear]")?.addEventListener("click", () => {
      pad.clear();
      input.value = "";
      hideMessage();
    });
    form.addEventListener("submit", (event) => {
      if (pad.isEmpty()) {
        event.preventDefault();
        if (empty) empty.classList.remove("d-none");
        return;
      }
      input.value = pad.toDataURL("image/png");
      if (submit) submit.disabled = true; // one confirmation, even on a double tap
    });
    form.dataset.signatureReady = "1";
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("form[data-signature-form]").forEach(initSignature);
  });
})();
