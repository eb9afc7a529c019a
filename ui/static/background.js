// inkform verification station: the form's uploaded background under the
// page (docs/ui.md). Loaded only when the form version has one. pdf.js
// draws each page of the background PDF into a canvas beneath the page's
// SVG, which stays on top with its boxes, the current field and the ink;
// both are as wide as the page, so they share the millimetre grid at
// every zoom. Without this module the SVG shows the layout alone.

const pages = document.getElementById("pages");
if (pages && pages.dataset.background) {
  draw(pages).catch((err) => console.warn("inkform: the background could not be drawn", err));
}

// maxPixels bounds one page's canvas (4 × A4 at 150 dpi): zoomed far in,
// the background gets no sharper, but memory stays bounded.
const maxPixels = 8_000_000;

async function draw(pages) {
  const pdfjs = await import(pages.dataset.pdfjs);
  pdfjs.GlobalWorkerOptions.workerSrc = pages.dataset.pdfjsWorker;
  // isEvalSupported: false keeps pdf.js from compiling code, which the
  // Content-Security-Policy (no 'unsafe-eval') would refuse anyway.
  const pdf = await pdfjs.getDocument({ url: pages.dataset.background, isEvalSupported: false, withCredentials: true }).promise;
  for (const svg of pages.querySelectorAll("svg.page")) {
    const n = Number(svg.dataset.page);
    if (n >= 1 && n <= pdf.numPages) {
      layer(svg, await pdf.getPage(n));
    }
  }
}

// layer puts a canvas under the page's SVG and draws the PDF page into it
// whenever the page's width on screen changes (zoom, window size, the page
// shown).
function layer(svg, page) {
  const stack = document.createElement("div");
  stack.className = "page-stack";
  const canvas = document.createElement("canvas");
  canvas.className = "background";
  canvas.setAttribute("aria-hidden", "true");
  const box = svg.viewBox.baseVal;
  canvas.style.aspectRatio = `${box.width} / ${box.height}`;
  svg.replaceWith(stack);
  stack.append(canvas, svg);
  svg.classList.add("on-background");

  let task = null;
  let drawn = 0;
  async function render() {
    const css = stack.clientWidth;
    const unit = page.getViewport({ scale: 1 });
    let scale = (css * (window.devicePixelRatio || 1)) / unit.width;
    scale = Math.min(scale, Math.sqrt(maxPixels / (unit.width * unit.height)));
    const width = Math.round(unit.width * scale);
    if (css === 0 || width === drawn) {
      return;
    }
    drawn = width;
    if (task) {
      task.cancel();
    }
    const next = document.createElement("canvas");
    const viewport = page.getViewport({ scale });
    next.width = Math.round(viewport.width);
    next.height = Math.round(viewport.height);
    task = page.render({ canvas: next, viewport });
    try {
      await task.promise;
    } catch (err) {
      if (err && err.name === "RenderingCancelledException") {
        return;
      }
      throw err;
    }
    // Drawn aside and copied at once, so zooming never shows a blank page.
    canvas.width = next.width;
    canvas.height = next.height;
    canvas.getContext("2d").drawImage(next, 0, 0);
    stack.dataset.drawn = String(canvas.width);
  }
  new ResizeObserver(() => {
    render().catch((err) => console.warn("inkform: the background could not be drawn", err));
  }).observe(stack);
}
