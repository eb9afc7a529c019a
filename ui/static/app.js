// inkform console: progressive enhancement only. Every page works without
// this file; it adds what a script makes more comfortable.

// A form with data-confirm asks before it is sent (sign out everywhere).
for (const form of document.querySelectorAll("form[data-confirm]")) {
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });
}
