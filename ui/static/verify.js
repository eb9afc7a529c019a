// inkform verification station: keyboard-first correction and approval
// (docs/ui.md). The page works without this module (the form posts and
// approves); this adds the keys, saving without leaving the keyboard,
// the lease kept while the page is open, and zoom.

const station = document.getElementById("station");
if (station && station.hasAttribute("data-live")) {
  start(station);
}

function start(station) {
  const doc = station.dataset.doc;
  const form = document.getElementById("station-form");
  const csrf = form.elements.csrf.value;
  const errorBox = document.getElementById("station-error");
  const pages = document.getElementById("pages");
  const keys = document.getElementById("keys");
  const flag = document.getElementById("flag");
  const fields = [...form.querySelectorAll("li.field")].filter((li) => li.querySelector(".in"));
  let index = Math.max(0, fields.findIndex((li) => li.dataset.field === station.dataset.current));
  let leaving = false;
  let busy = false;
  let zoom = 1;

  for (const b of document.querySelectorAll("[data-zoom], #keys-button")) {
    b.hidden = false;
  }
  pages.classList.add("one-page");

  // send posts JSON with the session's CSRF token in a header.
  function send(path, body) {
    return fetch(`/verify/documents/${encodeURIComponent(doc)}/${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  }

  function inputOf(li) {
    const el = li.querySelector(".in");
    return el.tagName === "FIELDSET" ? el.querySelector('input[type="checkbox"]') : el;
  }

  // highlight marks the field's boxes on the page and shows its page.
  function highlight(name) {
    let page = null;
    for (const box of pages.querySelectorAll("rect.box")) {
      const on = box.dataset.field === name;
      box.classList.toggle("current", on);
      if (on) {
        page = box.closest("svg");
      }
    }
    if (page) {
      for (const svg of pages.querySelectorAll("svg.page")) {
        svg.classList.toggle("current-page", svg === page);
      }
    }
  }

  function go(i) {
    index = Math.min(Math.max(i, 0), fields.length - 1);
    const li = fields[index];
    for (const f of fields) {
      f.classList.toggle("active", f === li);
    }
    highlight(li.dataset.field);
    const input = inputOf(li);
    input.focus();
    if (input.select && input.type === "text") {
      input.select();
    }
    li.scrollIntoView({ block: "nearest" });
  }

  function fieldOf(el) {
    const li = el.closest("li.field");
    return li ? fields.indexOf(li) : -1;
  }

  // pick puts the n-th other reading (1-based) into the field's input.
  function pick(li, n) {
    const alt = li.querySelectorAll("button.alt")[n - 1];
    const input = li.querySelector('input[type="text"].in');
    if (!alt || !input) {
      return false;
    }
    input.value = alt.dataset.alt;
    input.select();
    return true;
  }

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = !message;
  }

  // showProblems puts a refusal's problems on their fields.
  function showProblems(answer) {
    for (const ul of form.querySelectorAll("ul.problems")) {
      ul.replaceChildren();
    }
    for (const input of form.querySelectorAll(".in[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
    }
    let first = -1;
    let unplaced = [];
    for (const p of answer.problems || []) {
      const name = (p.path || "").replace(/^fields\./, "");
      const li = document.getElementById(`field-${name}`);
      if (!li) {
        unplaced.push(p.message);
        continue;
      }
      const item = document.createElement("li");
      item.textContent = p.message;
      li.querySelector("ul.problems").append(item);
      li.classList.add("doubtful");
      const input = li.querySelector(".in");
      if (input) {
        input.setAttribute("aria-invalid", "true");
      }
      const i = fields.indexOf(li);
      if (i >= 0 && (first < 0 || i < first)) {
        first = i;
      }
    }
    showError([answer.message || "The document was not approved.", ...unplaced].join(" "));
    if (first >= 0) {
      go(first);
    }
  }

  async function finish(path, body) {
    if (busy) {
      return;
    }
    busy = true;
    try {
      const resp = await send(path, body);
      const answer = await resp.json().catch(() => ({}));
      if (resp.ok && answer.next) {
        leaving = true;
        window.location.assign(answer.next);
        return;
      }
      showProblems(answer.problems ? answer : { message: answer.message || `The server answered ${resp.status}.` });
    } catch (err) {
      showError("inkform could not be reached. Your corrections are still on the page; try again.");
    } finally {
      busy = false;
    }
  }

  function approve() {
    const values = {};
    for (const [name, value] of new FormData(form)) {
      if (name !== "csrf") {
        (values[name] ||= []).push(value);
      }
    }
    finish("approve", { values });
  }

  function askFlag() {
    flag.open = true;
    document.getElementById("flag-reason").focus();
  }

  function toggleKeys() {
    keys.open = !keys.open;
    if (keys.open) {
      keys.scrollIntoView({ block: "nearest" });
    }
  }

  function setZoom(z) {
    zoom = Math.min(Math.max(z, 0.5), 4);
    pages.style.width = `${zoom * 100}%`;
  }

  form.addEventListener("keydown", (event) => {
    const i = fieldOf(event.target);
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      approve();
      return;
    }
    if (i < 0) {
      return;
    }
    const li = fields[i];
    if (event.key === "Enter") {
      event.preventDefault();
      if (event.shiftKey) {
        go(i - 1);
      } else if (i === fields.length - 1) {
        document.getElementById("approve").focus();
      } else {
        go(i + 1);
      }
      return;
    }
    if (/^[1-3]$/.test(event.key) || /^Digit[1-3]$/.test(event.code)) {
      const n = Number(event.code.slice(-1)) || Number(event.key);
      const t = event.target;
      const whole = t.type === "text" && t.selectionStart === 0 && t.selectionEnd === t.value.length;
      if ((event.altKey || (whole && !("digits" in li.dataset))) && pick(li, n)) {
        event.preventDefault();
      }
    }
  });

  form.addEventListener("focusin", (event) => {
    const i = fieldOf(event.target);
    if (i >= 0 && i !== index) {
      index = i;
      for (const f of fields) {
        f.classList.toggle("active", f === fields[i]);
      }
      highlight(fields[i].dataset.field);
    }
  });

  form.addEventListener("click", (event) => {
    const alt = event.target.closest("button.alt");
    if (alt) {
      const li = alt.closest("li.field");
      const n = [...li.querySelectorAll("button.alt")].indexOf(alt) + 1;
      pick(li, n);
      go(fields.indexOf(li));
    }
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    approve();
  });

  document.getElementById("flag-form").addEventListener("submit", (event) => {
    event.preventDefault();
    finish("flag", { reason: document.getElementById("flag-reason").value });
  });

  document.addEventListener("keydown", (event) => {
    const t = event.target;
    const typing = t.tagName === "TEXTAREA" || (t.type === "text" && !("digits" in (t.closest("li.field")?.dataset || {})));
    if (event.key === "F2") {
      event.preventDefault();
      askFlag();
    } else if (event.key === "?" && !typing) {
      event.preventDefault();
      toggleKeys();
    } else if (event.key === "Escape" && (keys.open || flag.open)) {
      keys.open = false;
      flag.open = false;
      go(index);
    } else if (event.altKey && (event.key === "+" || event.key === "=")) {
      event.preventDefault();
      setZoom(zoom * 1.25);
    } else if (event.altKey && event.key === "-") {
      event.preventDefault();
      setZoom(zoom / 1.25);
    }
  });

  for (const b of document.querySelectorAll("[data-zoom]")) {
    b.addEventListener("click", () => setZoom(b.dataset.zoom === "in" ? zoom * 1.25 : zoom / 1.25));
  }
  document.getElementById("keys-button").addEventListener("click", toggleKeys);

  // The lease: renewed while the page is open, released when it closes,
  // so the document is free at once for someone else.
  const renew = window.setInterval(async () => {
    try {
      const resp = await send("lease", {});
      if (resp.status === 409) {
        window.clearInterval(renew);
        showError((await resp.json()).message);
      }
    } catch (err) {
      // Offline for a moment: the next renewal tries again.
    }
  }, 30000);
  window.addEventListener("pagehide", () => {
    if (!leaving) {
      navigator.sendBeacon(`/verify/documents/${encodeURIComponent(doc)}/release`, new URLSearchParams({ csrf }));
    }
  });
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      window.location.reload(); // back from the cache: lease the document again
    }
  });

  if (fields.length > 0) {
    go(index);
  }
}
