// The hall's queue screens. Each asks the feed for calls newer than the last one it has seen,
// twice a second (a call shows within a second), and:
// - the calling display lists them, highlights the newest and speaks each one: the server's
//   WAV (espeak-ng, offline) if it answers, else the browser's own Chinese voice, else nothing;
//   browsers allow sound only after a touch, hence the one-time "tap to turn on" overlay;
// - a window's screen and the big screen reload their panel when a call concerns them, and
//   every few seconds for what calls do not announce (a pause, a number taken, a rating).
(() => {
  const frame = document.querySelector("[data-queue-screen]");
  if (!frame) return;
  const kind = frame.dataset.queueScreen;
  const poll = Number(frame.dataset.poll) || 500;
  const feed = frame.dataset.feed;
  let after = Number(frame.dataset.after) || 0;

  // --- the clock
  const clock = document.querySelector("[data-clock]");
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const now = new Date();
    if (clock) clock.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  };
  tick();
  window.setInterval(tick, 1000);

  // --- speech: one announcement after another
  const queue = [];
  let speaking = false;
  let soundOn = false;
  const announceUrl = (id) => frame.dataset.announce.replace(/\/0\.wav/, `/${id}.wav`);

  const browserVoice = () => {
    if (!("speechSynthesis" in window)) return null;
    return window.speechSynthesis.getVoices().find((v) => /^(zh|cmn)/i.test(v.lang)) || null;
  };
  const browserSpeak = (text, done) => {
    const voice = browserVoice();
    if (!voice) { done(); return; }
    const words = new SpeechSynthesisUtterance(text);
    words.voice = voice;
    words.lang = voice.lang;
    words.rate = 0.9;
    words.onend = done;
    words.onerror = done;
    window.speechSynthesis.speak(words);
  };
  const next = () => {
    const call = queue.shift();
    if (!call) { speaking = false; return; }
    speaking = true;
    let finished = false;
    const done = () => {
      if (finished) return;
      finished = true;
      window.setTimeout(next, 600);
    };
    const url = announceUrl(call.id);
    frame.dataset.lastAudio = url;
    const audio = new Audio(url);
    audio.addEventListener("ended", done);
    audio.addEventListener("error", () => { if (!finished) browserSpeak(call.speech, done); });
    audio.play().catch(() => { if (!finished) browserSpeak(call.speech, done); });
  };
  const announce = (call) => {
    if (!soundOn) return;
    queue.push(call);
    if (!speaking) next();
  };

  const overlay = document.querySelector("[data-sound-overlay]");
  const button = document.querySelector("[data-sound-on]");
  if (button) {
    button.addEventListener("click", () => {
      soundOn = true;
      frame.dataset.sound = "on";
      if (overlay) overlay.hidden = true;
      // Voices load late in some browsers; asking once starts the loading.
      if ("speechSynthesis" in window) window.speechSynthesis.getVoices();
    });
  }

  // --- the calling display
  const rows = document.querySelector("[data-calls]");
  const now = document.querySelector("[data-now]");
  const empty = document.querySelector("[data-calls-empty]");
  const waitingList = document.querySelector("[data-waiting]");
  const cell = (text, cls) => {
    const td = document.createElement("td");
    td.textContent = text;
    if (cls) td.className = cls;
    return td;
  };
  const showCall = (call) => {
    if (!rows) return;
    rows.querySelectorAll(".qs-newest").forEach((r) => r.classList.remove("qs-newest"));
    const tr = document.createElement("tr");
    tr.dataset.call = call.id;
    tr.className = "qs-newest";
    tr.append(cell(call.number, "qs-number"), cell(call.window), cell(call.at));
    rows.prepend(tr);
    while (rows.children.length > 8) rows.lastElementChild.remove();
    if (now) now.textContent = call.text;
    if (empty) empty.hidden = true;
  };
  const showWaiting = (waiting) => {
    if (!waitingList) return;
    waitingList.replaceChildren(...waiting.map((w) => {
      const li = document.createElement("li");
      const code = document.createElement("span");
      code.className = "qs-code";
      code.textContent = w.code;
      const name = document.createElement("span");
      name.className = "qs-name";
      name.textContent = w.name;
      const count = document.createElement("strong");
      count.className = "qs-count";
      count.textContent = w.count;
      li.append(code, name, count);
      return li;
    }));
  };

  // --- panels (a window's screen, the big screen)
  const panel = frame.dataset.panel;
  const panelBody = document.querySelector("[data-panel-body]");
  let panelBusy = false;
  let panelAt = Date.now();
  const reloadPanel = () => {
    if (!panel || !panelBody || panelBusy) return;
    panelBusy = true;
    panelAt = Date.now();
    fetch(panel, { headers: { Accept: "text/html" }, cache: "no-store" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        const parsed = new DOMParser().parseFromString(html, "text/html");
        panelBody.replaceChildren(...parsed.body.childNodes);
      })
      .catch(() => {})
      .finally(() => { panelBusy = false; });
  };
  const mine = Number(frame.dataset.window) || 0;
  const PANEL_EVERY = kind === "today" ? 10000 : 5000;
  let stale = false;

  // --- the poll
  const ask = () => {
    fetch(`${feed}&after=${after}`, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((data) => {
        const calls = data.calls || [];
        if (calls.length) after = Math.max(after, data.last || 0, ...calls.map((c) => c.id));
        frame.dataset.after = after;
        const oldestFirst = calls.slice().reverse();
        if (kind === "hall") {
          oldestFirst.forEach((call) => { showCall(call); announce(call); });
          showWaiting(data.waiting || []);
        } else if (kind === "window" && calls.some((c) => c.window_id === mine)) {
          reloadPanel();
        } else if (kind === "today" && calls.length) {
          stale = true;
        }
        // The big screen's figures take a few queries: at most once a second after calls.
        const since = Date.now() - panelAt;
        if ((stale && since > 1000) || (panel && since > PANEL_EVERY)) {
          stale = false;
          reloadPanel();
        }
        window.setTimeout(ask, poll);
      })
      .catch(() => window.setTimeout(ask, 2000));
  };
  window.setTimeout(ask, poll);
})();
