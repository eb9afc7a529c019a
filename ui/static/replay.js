// inkform console: the ink replay on a document's page. It fetches the
// document's ink (ink.json) and draws the strokes again, in order, at the
// pace the pen wrote them (sped up, long pauses shortened), with play and
// pause. Without this script the page shows everything but the replay.

const section = document.getElementById("replay");
if (section) {
  const canvas = document.getElementById("replay-canvas");
  const play = document.getElementById("replay-play");
  const speed = document.getElementById("replay-speed");
  const status = document.getElementById("replay-status");
  const ctx = canvas.getContext("2d");
  const maxPause = 800; // ms of pen-up shown at most between strokes
  let steps = []; // {page, stroke, point index} in writing order with times
  let pages = [];
  let at = 0; // index of the next step to draw
  let clock = 0; // replay time of the next step, ms
  let running = false;
  let last = 0;

  // Each point gets a replay time: the pen's own time within a stroke,
  // and between strokes the pen-up pause, at most maxPause (pens' clocks
  // differ; a stroke whose times go backwards follows the last at once).
  function schedule(ink) {
    pages = ink.pages;
    let t = 0;
    let prev = null;
    ink.pages.forEach((page, p) => {
      page.strokes.forEach((stroke, s) => {
        stroke.forEach((pt, i) => {
          if (prev !== null) {
            const dt = pt[2] - prev;
            t += i === 0 ? Math.min(Math.max(dt, 0), maxPause) : Math.min(Math.max(dt, 0), 200);
          }
          prev = pt[2];
          steps.push({ p, s, i, t });
        });
      });
    });
  }

  // scale fits a page of w × h mm on the canvas.
  function scale(page) {
    return Math.min(canvas.width / page.w, canvas.height / page.h);
  }

  function clear(page) {
    ctx.fillStyle = "#fff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#c9ced6";
    const k = scale(page);
    ctx.strokeRect(0.5, 0.5, page.w * k - 1, page.h * k - 1);
  }

  function draw(step) {
    const page = pages[step.p];
    const stroke = page.strokes[step.s];
    if (step.s === 0 && step.i === 0) {
      clear(page);
    }
    const k = scale(page);
    ctx.strokeStyle = "#0b2a8a";
    ctx.lineWidth = Math.max(1, 0.45 * k);
    ctx.lineCap = "round";
    ctx.beginPath();
    const a = stroke[Math.max(step.i - 1, 0)];
    const b = stroke[step.i];
    ctx.moveTo(a[0] * k, a[1] * k);
    ctx.lineTo(b[0] * k + (step.i === 0 ? 0.01 : 0), b[1] * k);
    ctx.stroke();
  }

  function frame(now) {
    if (!running) {
      return;
    }
    clock += (now - last) * Number(speed.value);
    last = now;
    while (at < steps.length && steps[at].t <= clock) {
      draw(steps[at]);
      at++;
    }
    status.textContent = `Stroke ${at < steps.length ? steps[at].s + 1 : steps[steps.length - 1].s + 1}, page ${at < steps.length ? steps[at].p + 1 : pages.length} of ${pages.length}`;
    if (at >= steps.length) {
      stop("Done. Play starts again.");
      return;
    }
    requestAnimationFrame(frame);
  }

  function stop(text) {
    running = false;
    play.textContent = "Play";
    status.textContent = text;
  }

  play.addEventListener("click", () => {
    if (running) {
      stop("Paused.");
      return;
    }
    if (at >= steps.length) {
      at = 0;
      clock = 0;
    }
    if (at === 0 && pages.length > 0) {
      clear(pages[0]);
    }
    running = true;
    play.textContent = "Pause";
    last = performance.now();
    requestAnimationFrame(frame);
  });

  fetch(section.dataset.ink, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(String(r.status)))))
    .then((ink) => {
      schedule(ink);
      if (pages.length > 0) {
        const k = Math.min(420 / pages[0].w, 594 / pages[0].h);
        canvas.width = Math.round(pages[0].w * k);
        canvas.height = Math.round(pages[0].h * k);
        clear(pages[0]);
      }
      play.disabled = steps.length === 0;
      status.textContent = steps.length === 0 ? "The document has no ink." : `${steps.length} points ready.`;
      section.dataset.ready = String(steps.length);
    })
    .catch(() => {
      status.textContent = "The ink could not be loaded.";
    });
}
