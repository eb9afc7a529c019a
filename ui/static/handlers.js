// inkform console, handler pages: a Copy button beside a value shown once
// (a new webhook's signing secret). Without this script the value is
// still there to select and copy by hand; the button stays hidden.

for (const button of document.querySelectorAll("button[data-copy]")) {
  const source = document.getElementById(button.dataset.copy);
  const said = button.parentElement.querySelector(".copied");
  if (!source || !navigator.clipboard) {
    continue;
  }
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(source.textContent);
      if (said) said.textContent = "Copied.";
    } catch {
      if (said) said.textContent = "Could not copy: select the secret and copy it by hand.";
    }
  });
}
