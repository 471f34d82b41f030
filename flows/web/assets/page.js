// Copy buttons; the links themselves are in the page, so everything else works without this.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("button.copy");
  if (!button) return;
  const label = button.firstChild;
  try {
    await navigator.clipboard.writeText(button.dataset.url);
    label.textContent = "Copied";
  } catch {
    const field = button.closest(".feed").querySelector("input.url");
    field.select();
    label.textContent = "Press Ctrl+C to copy";
  }
  setTimeout(() => { label.textContent = "Copy link"; }, 2500);
});
