// Desk enhancements; the intake form works without them (the server offers the notice).
(function () {
  "use strict";
  function setup(form) {
    const boxes = Array.from(form.querySelectorAll("[data-checklist] input[type=checkbox]"));
    const missing = form.querySelector("[data-supplement-offer] textarea[name=missing]");
    const offer = form.querySelector("[data-supplement-offer]");
    const accept = form.querySelector("button[data-accept]");
    const supplement = form.querySelector("button[data-supplement]");
    if (!missing || !accept || !supplement) return;
    let edited = missing.value.trim() !== "" && form.querySelector(".offered") === null;
    missing.addEventListener("input", () => { edited = true; });
    function refresh() {
      const names = boxes.filter((b) => b.hasAttribute("data-required") && !b.checked)
        .map((b) => b.getAttribute("data-name"));
      if (!edited) missing.value = names.join("\n");
      const incomplete = names.length > 0;
      accept.classList.toggle("secondary", incomplete);
      supplement.classList.toggle("secondary", !incomplete);
      offer.classList.toggle("offered", incomplete);
    }
    boxes.forEach((b) => b.addEventListener("change", refresh));
    refresh();
  }
  document.querySelectorAll("form.intake-form").forEach(setup);
})();
