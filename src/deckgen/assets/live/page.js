// The live preview page: states from deckgen watch --serve in (server-sent events), the
// previews of every watched outline out. Outline text is set as text, never as markup.
"use strict";

const main = document.getElementById("outlines");
const status = document.getElementById("status");
const large = document.getElementById("large");
let latest = { outlines: [] };
let shown = { outline: null, kind: "slides", index: -1 }; // what the large view shows

function make(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// Point img at src; collect a promise that settles once the new picture is decoded.
function setPicture(img, src, alt, pending) {
  img.alt = alt;
  if (img.getAttribute("src") === src) return;
  img.setAttribute("src", src);
  pending.push(img.decode().catch(() => undefined));
}

function section(outline) {
  const node = make("section", "outline");
  node.dataset.outline = outline.outline;
  const title = make("h2");
  title.append(make("span", "stem"), make("small", "where"));
  node.append(title, make("p", "stale"), make("ul", "problems"), make("details", "notices"));
  node.querySelector("details").append(make("summary"), make("ul"));
  const deck = make("div", "deck");
  deck.append(make("h3", "slides-heading"), make("ol", "slides"));
  const brief = make("div", "brief");
  brief.append(make("h3", "pages-heading"), make("ol", "pages"));
  const previews = make("div", "previews");
  previews.append(deck, brief);
  node.append(previews);
  node.querySelector(".stale").hidden = true;
  return node;
}

function fill(list, items, make_item, update) {
  while (list.children.length > items.length) list.lastElementChild.remove();
  while (list.children.length < items.length) list.append(make_item(list.children.length));
  items.forEach((item, i) => update(list.children[i], item, i));
}

function slideItem(index) {
  const li = make("li");
  const button = make("button");
  button.type = "button";
  button.append(make("img"));
  const caption = make("span", "caption");
  caption.append(make("b"), make("span", "title"));
  li.append(button, caption);
  return li;
}

function pageItem() {
  const li = make("li");
  const button = make("button");
  button.type = "button";
  button.append(make("img"));
  li.append(button, make("span", "caption"));
  return li;
}

function update(node, outline, pending) {
  node.querySelector(".stem").textContent = outline.stem;
  const when = outline.built ? `built ${outline.built} (${outline.seconds.toFixed(2)} s)` : "";
  node.querySelector(".where").textContent = `${outline.outline}  ${when}`;
  node.classList.toggle("stale-previews", outline.stale);
  const stale = node.querySelector(".stale");
  stale.hidden = outline.status !== "failed";
  stale.textContent = outline.slides.length
    ? `This outline does not build: fix the problems below. The previews are from the last good build (${outline.built}).`
    : "This outline does not build: fix the problems below.";
  const problems = outline.diagnostics.filter((d) => d.severity !== "notice");
  const notices = outline.diagnostics.filter((d) => d.severity === "notice");
  fill(node.querySelector("ul.problems"), problems, () => make("li"), (li, d) => {
    li.className = d.severity;
    li.textContent = d.text;
  });
  const details = node.querySelector("details.notices");
  details.hidden = notices.length === 0;
  details.querySelector("summary").textContent =
    `${notices.length} notice${notices.length === 1 ? "" : "s"} (text set smaller to fit, and the like)`;
  fill(details.querySelector("ul"), notices, () => make("li"), (li, d) => {
    li.textContent = d.text;
  });
  node.querySelector(".slides-heading").textContent = `Slides (${outline.slides.length})`;
  fill(node.querySelector("ol.slides"), outline.slides, slideItem, (li, slide, i) => {
    li.dataset.n = slide.n;
    setPicture(li.querySelector("img"), slide.src, `Slide ${slide.n}: ${slide.title}`, pending);
    li.querySelector("b").textContent = slide.n;
    li.querySelector(".title").textContent = slide.title;
    li.querySelector("button").onclick = () => open(outline.outline, "slides", i);
  });
  node.querySelector(".pages-heading").textContent = outline.pages.length
    ? `Brief (${outline.pages.length} pages)`
    : "Brief (not built: add pdf to --format)";
  fill(node.querySelector("ol.pages"), outline.pages, pageItem, (li, page, i) => {
    li.dataset.n = page.n;
    setPicture(li.querySelector("img"), page.src, `Brief, page ${page.n}`, pending);
    li.querySelector(".caption").textContent = `Page ${page.n}`;
    li.querySelector("button").onclick = () => open(outline.outline, "pages", i);
  });
}

function render(state) {
  latest = state;
  const pending = [];
  const seen = new Set();
  for (const outline of state.outlines) {
    let node = [...main.children].find((n) => n.dataset.outline === outline.outline);
    if (!node) {
      node = section(outline);
      main.append(node);
    }
    update(node, outline, pending);
    seen.add(outline.outline);
  }
  [...main.children].filter((n) => !seen.has(n.dataset.outline)).forEach((n) => n.remove());
  const failed = state.outlines.filter((o) => o.status === "failed").length;
  status.className = state.building ? "building" : failed ? "failed" : "ok";
  status.textContent = state.building
    ? "Building…"
    : failed
      ? `${failed} outline${failed === 1 ? "" : "s"} with errors: showing the last good previews`
      : "Up to date";
  if (large.open && shown.index >= 0) show(shown.index);
  // The page has caught up with this state once every new picture is decoded.
  Promise.all(pending).then(() => {
    document.body.dataset.version = String(state.version);
    window.deckgenShown = { version: state.version, at: Date.now() };
  });
}

// The pictures the large view steps through, from the latest state.
function pictures() {
  const outline = latest.outlines.find((o) => o.outline === shown.outline);
  if (!outline) return [];
  if (shown.kind === "slides") return outline.slides;
  return outline.pages.map((p) => ({ ...p, src: p.large, title: `Brief, page ${p.n}` }));
}

function show(index) {
  const item = pictures()[index];
  if (!item) return;
  shown.index = index;
  large.querySelector("img").src = item.src;
  large.querySelector("img").alt = item.title;
  large.querySelector("figcaption").textContent = `${item.n}. ${item.title}`;
}

function open(outline, kind, index) {
  shown = { outline, kind, index };
  show(index);
  if (!large.open) large.showModal();
}

large.addEventListener("click", (event) => {
  if (event.target === large) large.close();
});
large.addEventListener("close", () => {
  shown.index = -1;
});
document.addEventListener("keydown", (event) => {
  if (!large.open) return;
  if (event.key === "ArrowRight") show(Math.min(shown.index + 1, pictures().length - 1));
  if (event.key === "ArrowLeft") show(Math.max(shown.index - 1, 0));
});

const source = new EventSource("/events");
source.onmessage = (event) => render(JSON.parse(event.data));
source.onerror = () => {
  status.className = "failed";
  status.textContent = "Not connected: is deckgen watch --serve still running? Retrying…";
};
