// The kiosk's enhancements: idle return, letter keypad, live search, part tabs, print.
// Every page works without them (the tabs fall back to anchors, search to the form).
(() => {
  "use strict";

  // Idle return: after the center's idle time without a touch, key or scroll, go home, so
  // the next visitor does not start on someone else's page. Phones are not kiosks.
  const idle = document.getElementById("kiosk-idle");
  const onPhone = window.matchMedia("(max-width: 700px)").matches;
  if (idle && !onPhone) {
    const seconds = Number.parseInt(idle.dataset.idleSeconds || "0", 10);
    const home = idle.dataset.idleUrl;
    if (seconds > 0 && home) {
      let timer = 0;
      const arm = () => {
        window.clearTimeout(timer);
        if (document.visibilityState === "visible") {
          timer = window.setTimeout(() => window.location.assign(home), seconds * 1000);
        }
      };
      for (const type of ["pointerdown", "pointermove", "touchstart", "keydown", "wheel", "scroll", "input"]) {
        window.addEventListener(type, arm, { passive: true, capture: true });
      }
      document.addEventListener("visibilitychange", arm);
      arm();
    }
  }

  // Letter keypad for screens without a keyboard: pinyin initials are enough (h z → 护照).
  for (const pad of document.querySelectorAll("[data-keypad-for]")) {
    const input = document.getElementById(pad.dataset.keypadFor);
    const toggle = input && input.form ? input.form.querySelector(".keypad-toggle") : null;
    if (!input || !toggle) continue;
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      pad.hidden = !pad.hidden;
      toggle.setAttribute("aria-expanded", String(!pad.hidden));
    });
    pad.addEventListener("click", (event) => {
      const key = event.target.closest("[data-key]");
      if (!key) return;
      const value = key.dataset.key;
      if (value === "backspace") input.value = input.value.slice(0, -1);
      else if (value === "clear") input.value = "";
      else input.value += value;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  }

  // Live results as the visitor types (on a keyboard or the letter keys), on the search page
  // and on the home screen: the server renders them, the script swaps them in.
  const results = document.getElementById("results");
  const box = document.getElementById("kiosk-q");
  if (results && box && box.form && window.fetch && window.DOMParser) {
    const onHome = results.hasAttribute("data-live-home");
    let timer = 0;
    let latest = 0;
    box.addEventListener("input", () => {
      window.clearTimeout(timer);
      timer = window.setTimeout(async () => {
        const ticket = ++latest;
        const query = box.value.trim();
        if (onHome && !query) {
          results.replaceChildren(); // the home screen's tiles are already below
          return;
        }
        const url = new URL(box.form.action, window.location.href);
        url.searchParams.set("q", query);
        try {
          const response = await fetch(url, { headers: { "X-Requested-With": "fetch" } });
          if (!response.ok || ticket !== latest) return;
          const page = new DOMParser().parseFromString(await response.text(), "text/html");
          const fresh = page.getElementById("results");
          if (fresh && onHome) {
            for (const tiles of fresh.querySelectorAll(".browse")) tiles.remove(); // already below
          }
          if (fresh && ticket === latest) {
            results.replaceChildren(...fresh.childNodes);
            if (!onHome) window.history.replaceState(null, "", url);
          }
        } catch {
          // Offline or slow: the Search button still works.
        }
      }, 300);
    });
  }

  // The item's eight parts as tabs; the links stay plain anchors without the script.
  for (const nav of document.querySelectorAll("[data-tabs]")) {
    const links = Array.from(nav.querySelectorAll('a[href^="#"]'));
    const panels = links.map((link) => document.getElementById(link.hash.slice(1)));
    const show = (index) => {
      links.forEach((link, i) => link.setAttribute("aria-current", String(i === index)));
      panels.forEach((panel, i) => {
        if (panel) panel.hidden = i !== index;
      });
    };
    links.forEach((link, index) => {
      link.addEventListener("click", (event) => {
        event.preventDefault();
        show(index);
        window.history.replaceState(null, "", link.hash);
        const top = nav.getBoundingClientRect().top + window.scrollY;
        if (window.scrollY > top) window.scrollTo({ top });
      });
    });
    show(Math.max(0, links.findIndex((link) => link.hash === window.location.hash)));
  }

  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
  }
})();
