// The hall screen: reloads the sign-in code just after every minute (the code changes each
// minute) and keeps the clock current; a full reload every ten minutes refreshes the page.
(() => {
  const img = document.querySelector("[data-patrol-code]");
  const clock = document.querySelector("[data-clock]");
  if (!img) return;
  const base = img.getAttribute("src").split("?")[0];
  const pad = (n) => String(n).padStart(2, "0");
  const tick = () => {
    const now = new Date();
    if (clock) clock.textContent = `${pad(now.getHours())}:${pad(now.getMinutes())}`;
  };
  const schedule = () => {
    const now = new Date();
    const wait = (60 - now.getSeconds()) * 1000 - now.getMilliseconds() + 500;
    window.setTimeout(() => {
      img.src = `${base}?t=${Date.now()}`;
      tick();
      schedule();
    }, wait);
  };
  tick();
  schedule();
  window.setTimeout(() => window.location.reload(), 10 * 60 * 1000);
})();
