// The API tokens and users pages: a Copy button beside a secret shown
// once. Without this script the secret is still selectable by hand.

for (const button of document.querySelectorAll("button[data-copy]")) {
  const field = document.getElementById(button.dataset.copy);
  const said = button.parentElement.querySelector(".copied");
  if (!field || !said) {
    continue;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      // Only a secure context (HTTPS, localhost) has the clipboard.
      await navigator.clipboard.writeText(field.value);
      said.textContent = "Copied.";
    } catch {
      // Select the text so that the person copies it with the keyboard.
      field.focus();
      field.select();
      said.textContent = "Press Ctrl+C (⌘C on a Mac) to copy the selected secret.";
    }
  });
}
