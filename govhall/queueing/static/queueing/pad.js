// The rating pad: polls the window's state every second; when a number is finished there it
// asks its applicant to rate (or says why it cannot yet), then returns to the staff card after
// 20 s or 4 s after the answer.
(() => {
  const root = document.getElementById("pad");
  if (!root) return;
  const card = root.querySelector("[data-pad-card]");
  const ask = root.querySelector("[data-pad-ask]");
  const note = root.querySelector("[data-pad-message]");
  const form = root.querySelector("[data-pad-form]");
  const ticketInput = root.querySelector("[data-pad-ticket]");
  const stateUrl = root.dataset.stateUrl;
  const backAfter = Number(root.dataset.returnSeconds || 20) * 1000;
  let after = Number(root.dataset.after || 0);
  let busy = false;
  let timer = null;

  const show = (which) => {
    for (const el of [card, ask, note]) el.hidden = el !== which;
  };
  const backToCard = (delay) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      busy = false;
      show(card);
    }, delay);
  };
  const tell = (message, delay) => {
    note.textContent = message;
    show(note);
    backToCard(delay);
  };

  const poll = async () => {
    if (busy) return;
    try {
      const response = await fetch(`${stateUrl}?after=${after}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const state = await response.json();
      after = state.after;
      const wanted = state.ask;
      if (!wanted) return;
      busy = true;
      if (!wanted.ratable) {
        tell(wanted.message, 8000);
        return;
      }
      ticketInput.value = wanted.ticket;
      root.querySelector("[data-pad-number]").textContent = wanted.number;
      root.querySelector("[data-pad-what]").textContent = wanted.what;
      show(ask);
      backToCard(backAfter);
    } catch (_error) {
      // The network comes back; the next poll tries again.
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    if (event.submitter) data.set(event.submitter.name, event.submitter.value);
    window.clearTimeout(timer);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      tell(answer.message, 4000);
    } catch (_error) {
      tell(form.dataset.failed, 4000);
    }
  });

  window.setInterval(poll, 1000);
  poll();
})();
