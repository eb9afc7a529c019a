// inkform group verification: one field across many documents
// (docs/ui.md). The page works without this module (its form posts and
// confirms); this adds the keys and keeps the documents' leases while the
// page is open.

const group = document.getElementById("group");
if (group && group.hasAttribute("data-live")) {
  start(group);
}

function start(group) {
  const form = document.getElementById("group-form");
  const csrf = form.elements.csrf.value;
  const keys = document.getElementById("keys");
  const inputs = [...form.querySelectorAll("input.cell-in")];
  const docs = inputs.map((i) => i.closest("li").dataset.doc);
  let leaving = false;
  document.getElementById("keys-button").hidden = false;

  // columns counts the cells on the grid's first row, for up and down.
  function columns() {
    const top = inputs[0].closest("li").offsetTop;
    let n = 0;
    while (n < inputs.length && inputs[n].closest("li").offsetTop === top) {
      n++;
    }
    return Math.max(n, 1);
  }

  function go(i) {
    const el = inputs[Math.min(Math.max(i, 0), inputs.length - 1)];
    el.focus();
    el.select();
    el.closest("li").scrollIntoView({ block: "nearest" });
  }

  function toggleKeys() {
    keys.open = !keys.open;
    if (keys.open) {
      keys.scrollIntoView({ block: "nearest" });
    }
  }

  form.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
      return;
    }
    const i = inputs.indexOf(event.target);
    if (i < 0) {
      return;
    }
    const t = event.target;
    const atStart = t.selectionStart === 0 && t.selectionEnd === 0;
    const atEnd = t.selectionStart === t.value.length;
    const whole = t.selectionStart === 0 && t.selectionEnd === t.value.length;
    let to = null;
    switch (event.key) {
      case "Enter":
        if (!event.shiftKey && i === inputs.length - 1) {
          event.preventDefault();
          document.getElementById("confirm").focus();
          return;
        }
        to = event.shiftKey ? i - 1 : i + 1;
        break;
      case "ArrowDown":
        to = i + columns();
        break;
      case "ArrowUp":
        to = i - columns();
        break;
      case "ArrowRight":
        to = whole || atEnd ? i + 1 : null;
        break;
      case "ArrowLeft":
        to = whole || atStart ? i - 1 : null;
        break;
    }
    if (to !== null) {
      event.preventDefault();
      go(to);
    }
  });

  form.addEventListener("focusin", (event) => {
    for (const input of inputs) {
      input.closest("li").classList.toggle("active", input === event.target);
    }
    if (inputs.includes(event.target)) {
      event.target.select();
    }
  });

  form.addEventListener("submit", () => {
    leaving = true; // the post confirms or keeps the leases; nothing to release
  });

  document.addEventListener("keydown", (event) => {
    const t = event.target;
    const typing = t.type === "text" && !("digits" in group.dataset);
    if (event.key === "?" && !typing) {
      event.preventDefault();
      toggleKeys();
    } else if (event.key === "Escape" && keys.open) {
      keys.open = false;
    }
  });
  document.getElementById("keys-button").addEventListener("click", toggleKeys);

  // The leases: renewed while the page is open, released when it closes
  // without confirming, so the documents are free at once for others.
  const lease = (id, what) => `/verify/documents/${encodeURIComponent(id)}/${what}`;
  window.setInterval(() => {
    for (const id of docs) {
      fetch(lease(id, "lease"), { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" }).catch(() => {});
    }
  }, 30000);
  window.addEventListener("pagehide", () => {
    if (!leaving) {
      for (const id of docs) {
        navigator.sendBeacon(lease(id, "release"), new URLSearchParams({ csrf }));
      }
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      window.location.reload(); // back from the cache: lease the documents again
    }
  });

  const first = inputs.findIndex((i) => i.closest("li").dataset.doc === group.dataset.current);
  go(Math.max(first, 0));
}
