// The queue's public pages: the ticket machine's keypad, the printed ticket's automatic print
// and return, and the live page's polling. Every page works without it (the live page can be
// reloaded by hand; the kiosk's Done button returns to the start).
(() => {
  "use strict";

  // Keypad for the ticket machine: types into the phone or appointment field last touched.
  const pad = document.querySelector("[data-queue-keypad]");
  if (pad) {
    const fields = Array.from(pad.closest("form").querySelectorAll("input[type=text]"));
    let target = fields[0];
    pad.hidden = false;
    for (const field of fields) field.addEventListener("focus", () => { target = field; });
    pad.addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]");
      if (!key || !target) return;
      const value = key.dataset.key;
      if (value === "backspace") target.value = target.value.slice(0, -1);
      else if (value === "clear") target.value = "";
      else if (target.value.length < (target.maxLength > 0 ? target.maxLength : 20)) target.value += value;
    });
  }

  // The printed ticket on the ticket machine: print at once, then back to the start.
  const autoprint = document.getElementById("queue-autoprint");
  if (autoprint) {
    const back = () => window.location.assign(autoprint.dataset.returnUrl);
    const seconds = Number.parseInt(autoprint.dataset.returnSeconds || "8", 10);
    window.setTimeout(back, seconds * 1000);
    window.setTimeout(() => window.print(), 300);
  }

  // The live page: poll the small state feed; a change of status, category or window reloads
  // the page (the server words it), the place in the queue is updated where it stands.
  const live = document.querySelector("[data-live-url]");
  if (live && window.fetch) {
    const seconds = Number.parseInt(live.dataset.liveSeconds || "3", 10);
    const show = (selector, visible) => {
      const node = live.querySelector(selector);
      if (node) node.hidden = !visible;
    };
    const set = (selector, value) => {
      const node = live.querySelector(selector);
      if (node) node.textContent = String(value);
    };
    const poll = async () => {
      try {
        const response = await fetch(live.dataset.liveUrl, { headers: { Accept: "application/json" }, cache: "no-store" });
        if (response.ok) {
          const state = await response.json();
          if (state.state !== live.dataset.liveState) {
            window.location.reload();
            return;
          }
          set("[data-live-ahead]", state.ahead);
          show("[data-live-ahead-some]", state.ahead > 0);
          show("[data-live-ahead-none]", state.ahead === 0);
          set("[data-live-wait]", state.estimated_wait_minutes);
          show("[data-live-wait-line]", state.estimated_wait_minutes > 0);
        }
      } catch {
        // Offline for a moment (a phone in the hall): the next poll tries again.
      }
      window.setTimeout(poll, seconds * 1000);
    };
    window.setTimeout(poll, seconds * 1000);
  }

  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
})();
