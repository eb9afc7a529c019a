// The form template editor (templates/form_edit.html): line numbers that
// follow the text and its scrolling, where the cursor is, and a problem's
// link that selects the line it names. Without this file the margin
// numbers the text as it was sent and the rest works.

const area = document.getElementById("template");
const gutter = document.querySelector(".editor .gutter");
const where = document.getElementById("template-where");

if (area && gutter) {
  const bad = new Set([...gutter.querySelectorAll(".bad")].map((el) => Number(el.textContent)));
  let count = gutter.querySelectorAll("span").length;

  // number writes the margin again when the text's line count changes.
  const number = () => {
    const n = area.value.split("\n").length;
    if (n === count) {
      return;
    }
    count = n;
    const nodes = [];
    for (let i = 1; i <= n; i++) {
      const s = document.createElement("span");
      s.textContent = String(i);
      if (bad.has(i)) {
        s.className = "bad";
      }
      nodes.push(s, document.createTextNode("\n"));
    }
    gutter.replaceChildren(...nodes);
    gutter.scrollTop = area.scrollTop;
  };

  // tell shows the cursor's line and column under the editor.
  const tell = () => {
    const before = area.value.slice(0, area.selectionStart);
    const line = before.split("\n").length;
    const column = before.length - before.lastIndexOf("\n");
    where.textContent = `Line ${line}, column ${column}`;
  };

  area.addEventListener("input", () => { number(); tell(); });
  area.addEventListener("scroll", () => { gutter.scrollTop = area.scrollTop; });
  for (const ev of ["keyup", "click", "focus"]) {
    area.addEventListener(ev, tell);
  }

  // A problem's link selects its line and scrolls it into view.
  for (const link of document.querySelectorAll(".template-problems a[data-line]")) {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      const lines = area.value.split("\n");
      const n = Math.min(Number(link.dataset.line), lines.length);
      let start = 0;
      for (let i = 0; i < n - 1; i++) {
        start += lines[i].length + 1;
      }
      area.focus();
      area.setSelectionRange(start, start + lines[n - 1].length);
      const height = parseFloat(getComputedStyle(area).lineHeight) || 20;
      area.scrollTop = Math.max(0, (n - 1) * height - area.clientHeight / 3);
      tell();
    });
  }
}
