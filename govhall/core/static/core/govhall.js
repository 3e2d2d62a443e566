// Small progressive enhancements; every page works without them.
document.addEventListener("change", (event) => {
  const el = event.target;
  if (el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
});
document.addEventListener("submit", (event) => {
  const form = event.target;
  const question = form.getAttribute("data-confirm");
  if (question && !window.confirm(question)) event.preventDefault();
});
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) window.print();
});

// A file that takes a while to build (a PDF, a DOCX): say so until the download starts. The
// link's data-download holds the words; the answer sets the token in a cookie (core.middleware).
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-download]");
  if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  const token = Date.now().toString(36) + Math.random().toString(36).slice(2, 10);
  const url = new URL(link.href, window.location.href);
  url.searchParams.set("download_token", token);
  link.href = url.toString();
  let status = link.parentElement.querySelector(".download-status");
  if (!status) {
    status = document.createElement("span");
    status.className = "download-status";
    status.setAttribute("role", "status");
    link.after(status);
  }
  status.textContent = link.dataset.download;
  link.setAttribute("aria-busy", "true");
  const started = Date.now();
  const timer = window.setInterval(() => {
    const done = document.cookie.split("; ").includes(`govhall_download=${token}`);
    if (done || Date.now() - started > 120000) {
      window.clearInterval(timer);
      status.textContent = "";
      link.removeAttribute("aria-busy");
      if (done) document.cookie = "govhall_download=; Max-Age=0; path=/; SameSite=Lax";
    }
  }, 250);
});

// Dependent choices: a select marked data-filter-by shows only the options of the group chosen
// in the other select (the windows of the chosen unit; colleagues of the chosen person's unit,
// never that person). An option of the other select may carry its own data-group; "*" shows all.
const filterChoices = (child) => {
  const parent = document.getElementById(child.dataset.filterBy);
  if (!parent) return;
  const chosen = parent.selectedOptions ? parent.selectedOptions[0] : null;
  const group = chosen ? (chosen.dataset.group ?? chosen.value) : "";
  const skipParent = child.hasAttribute("data-exclude-parent");
  for (const option of child.options) {
    if (!option.value) continue;
    const elsewhere = group !== "" && group !== "*" && option.dataset.group !== group;
    const self = skipParent && option.value === parent.value;
    option.hidden = elsewhere || self;
    option.disabled = elsewhere || self;
  }
  if (child.selectedOptions[0] && child.selectedOptions[0].disabled) child.value = "";
};
for (const child of document.querySelectorAll("select[data-filter-by]")) {
  filterChoices(child);
  const parent = document.getElementById(child.dataset.filterBy);
  if (parent) parent.addEventListener("change", () => filterChoices(child));
}
