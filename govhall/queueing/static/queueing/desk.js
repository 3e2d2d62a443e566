// The calling desk: one key per big button (N, R, S, F, G) when no field has the focus.
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest("input, select, textarea, [contenteditable]")) return;
  const button = document.querySelector(`button[data-key="${event.key.toLowerCase()}"]`);
  if (!button) return;
  event.preventDefault();
  button.form.requestSubmit(button);
});
