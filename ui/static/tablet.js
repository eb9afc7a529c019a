// inkform tablet filling (/f/{form}): the signature pad and comforts.
// Everything but drawing works without this file; the server judges
// every answer.
//
// A pad records Pointer Events (coalesced samples where the browser has
// them) as strokes in the JSON stroke format: points [x, y, t, f] in
// millimetres from the field box's top-left corner, t in milliseconds
// since the form was opened, f the pressure when the device measures it,
// else a constant 0.5. They go into the pad's hidden input, so the form
// posts them with the other answers.

const started = performance.now();
const now = () => Math.round(performance.now() - started);
const round = (v) => Math.round(v * 100) / 100;

for (const pad of document.querySelectorAll(".pad")) {
  setUp(pad);
}

function setUp(pad) {
  const canvas = pad.querySelector("canvas");
  const input = pad.querySelector(".pad-ink");
  const status = pad.querySelector(".pad-status");
  const w = Number(pad.dataset.w), h = Number(pad.dataset.h);
  const g = canvas.getContext("2d");
  let strokes = [];
  try {
    strokes = input.value ? JSON.parse(input.value).strokes || [] : [];
  } catch {
    strokes = [];
  }
  let current = null; // the stroke being drawn
  let pen = null; // the keyboard's pen: [x, y] while down

  const clamp = (v, hi) => Math.min(Math.max(v, 0), hi);
  const point = (e) => {
    const r = canvas.getBoundingClientRect();
    const f = e.pressure > 0 && e.pointerType !== "mouse" ? e.pressure : 0.5;
    return [round(clamp((e.clientX - r.left) / r.width * w, w)), round(clamp((e.clientY - r.top) / r.height * h, h)), now(), round(f)];
  };
  const draw = () => {
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, canvas.width, canvas.height);
    g.setTransform(canvas.width / w, 0, 0, canvas.height / h, 0, 0);
    g.strokeStyle = "#0b2a8a";
    g.lineCap = "round";
    g.lineJoin = "round";
    for (const s of strokes) {
      for (let i = 0; i < s.points.length; i++) {
        const [x, y, , f] = s.points[i];
        const [px, py] = s.points[Math.max(i - 1, 0)];
        g.lineWidth = 0.25 + 0.4 * (f ?? 0.5);
        g.beginPath();
        g.moveTo(px, py);
        g.lineTo(x, y);
        g.stroke();
      }
    }
  };
  const save = () => {
    input.value = strokes.length ? JSON.stringify({strokes}) : "";
    const n = strokes.length;
    status.textContent = n ? `Drawn: ${n} stroke${n === 1 ? "" : "s"}.` : "Nothing drawn yet.";
  };

  canvas.addEventListener("pointerdown", (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    current = {points: [point(e)]};
    strokes.push(current);
    draw();
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!current) {
      return;
    }
    const samples = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
    for (const c of samples.length ? samples : [e]) {
      current.points.push(point(c));
    }
    draw();
  });
  const lift = () => {
    if (current) {
      current = null;
      save();
    }
  };
  canvas.addEventListener("pointerup", lift);
  canvas.addEventListener("pointercancel", lift);

  // The keyboard's pen: arrows draw in 2 mm steps, Enter lifts it.
  const steps = {ArrowLeft: [-2, 0], ArrowRight: [2, 0], ArrowUp: [0, -2], ArrowDown: [0, 2]};
  canvas.addEventListener("keydown", (e) => {
    if (e.key === "Enter" || e.key === "Escape") {
      if (pen) {
        e.preventDefault();
        pen = null;
        save();
      }
      return;
    }
    const step = steps[e.key];
    if (!step) {
      return;
    }
    e.preventDefault();
    if (!pen) {
      pen = [w / 2, h / 2];
      strokes.push({points: [[round(pen[0]), round(pen[1]), now(), 0.5]]});
    }
    pen = [clamp(pen[0] + step[0], w), clamp(pen[1] + step[1], h)];
    strokes[strokes.length - 1].points.push([round(pen[0]), round(pen[1]), now(), 0.5]);
    draw();
    save();
  });

  pad.querySelector(".pad-clear").addEventListener("click", () => {
    strokes = [];
    current = pen = null;
    draw();
    save();
    canvas.focus();
  });
  draw();
}

// A comb shows one box per character: the input is as wide as its cells.
for (const input of document.querySelectorAll("input.comb[type=text]")) {
  input.style.width = `calc(${2 * Number(input.dataset.comb)}ch + 1.2rem + 4px)`;
}

// A second tap while the first is on its way sends nothing more; the
// submission's key would make it the same document anyway.
const form = document.getElementById("tablet");
let sent = false;
form?.addEventListener("submit", (e) => {
  if (sent) {
    e.preventDefault();
  }
  sent = true;
});
window.addEventListener("pageshow", () => { sent = false; });

// A document still being read: ask for its page again every two seconds
// and show the news in place, without moving the reader's focus.
const pending = document.querySelector(".done[data-pending]");
if (pending) {
  const check = async () => {
    const resp = await fetch(location.href, {headers: {Accept: "text/html"}});
    const next = new DOMParser().parseFromString(await resp.text(), "text/html").querySelector(".done");
    if (resp.ok && next && !next.hasAttribute("data-pending")) {
      pending.replaceWith(document.adoptNode(next));
      return;
    }
    setTimeout(check, 2000);
  };
  setTimeout(check, 2000);
}

// A PDF still being made: open it once the server has it.
if (document.querySelector(".pdf-wait")) {
  const check = async () => {
    const resp = await fetch(location.href, {method: "HEAD"});
    if (resp.ok && resp.status === 200) {
      location.reload();
      return;
    }
    setTimeout(check, 2000);
  };
  setTimeout(check, 2000);
}
