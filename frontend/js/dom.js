// Building DOM safely. Map data may hold hostile strings, so text only ever goes in through
// textContent and attributes through setAttribute; nothing here parses HTML.

const SVG_NS = "http://www.w3.org/2000/svg";

function append(parent, child) {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
  } else if (child instanceof Node) {
    parent.appendChild(child);
  } else {
    parent.appendChild(document.createTextNode(String(child)));
  }
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = String(value);
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style") Object.assign(el.style, value); // CSSOM: allowed by the CSP
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
}

/** h("button", {class: "x", onclick: f}, "text", child...) */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  append(el, children);
  return el;
}

/** The same for SVG elements. */
export function s(tag, props, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  setProps(el, props);
  append(el, children);
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  clear(el);
  append(el, children);
  return el;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Tell screen-reader users what just happened (a polite live region). */
export function announce(text) {
  const live = $("#live");
  if (!live) return;
  live.textContent = "";
  // A separate task, so the same message twice is read twice.
  setTimeout(() => {
    live.textContent = text;
  }, 30);
}

let toastTimer = 0;

/** A short message at the bottom of the page; errors stay until dismissed. */
export function toast(message, { error = false } = {}) {
  const box = $("#toast");
  if (!box) return;
  clearTimeout(toastTimer);
  replace(
    box,
    h("span", { class: "toast-text" }, message),
    h("button", { type: "button", class: "link", "aria-label": "Dismiss", onclick: () => (box.hidden = true) }, "×"),
  );
  box.classList.toggle("error", error);
  box.hidden = false;
  if (!error) toastTimer = setTimeout(() => (box.hidden = true), 4000);
}

export function formatNumber(value, digits = 2) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (Number.isInteger(value)) return value.toLocaleString("en");
  return value.toLocaleString("en", { maximumFractionDigits: digits });
}

export function percent(value) {
  return value === null || value === undefined ? "—" : `${Math.round(value * 100)}%`;
}

/** Only http(s) URLs become links (doi: ones through doi.org); anything else stays text. */
export function safeUrl(text) {
  const doi = /^doi:(\S+)$/i.exec(text);
  try {
    const url = new URL(doi ? `https://doi.org/${doi[1]}` : text);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * Append `items` to `list` a page at a time (long analyses of large maps stay responsive):
 * the first page now, then a "Show more" button below the list for each further page.
 */
export function appendPaged(list, items, render, { page = 100, noun = "more" } = {}) {
  let shown = 0;
  const more = h("button", { type: "button", class: "link show-more" });
  const step = () => {
    const next = items.slice(shown, shown + page);
    for (const item of next) list.appendChild(render(item));
    shown += next.length;
    const left = items.length - shown;
    more.textContent = `Show ${Math.min(left, page)} ${noun} (${left} not shown)`;
    more.hidden = left <= 0;
  };
  more.addEventListener("click", () => {
    step();
    more.focus();
  });
  step();
  return more;
}
