// Small charts built from DOM and SVG (no innerHTML): utilization bars for mechanisms and a
// power/exposure grid for power asymmetry, in the style of a power–interest grid.

import { OKABE_ITO } from "../kinds.js";
import { h, percent, s } from "../dom.js";

/** A bar of load against capacity; past 100% the overflow is drawn in vermillion. */
export function utilizationBar(entry) {
  const u = entry.utilization;
  if (u === null || u === undefined) {
    return h("div", { class: "bar unknown", role: "img", "aria-label": "utilization unknown" }, h("span", { class: "bar-text" }, "capacity unknown"));
  }
  const scale = Math.max(1, u);
  const within = Math.min(u, 1) / scale;
  const over = Math.max(0, u - 1) / scale;
  return h(
    "div",
    { class: "bar", role: "img", "aria-label": `utilization ${percent(u)}` },
    h("span", { class: "bar-fill", style: { width: `${(within * 100).toFixed(1)}%` } }),
    over > 0 ? h("span", { class: "bar-over", style: { width: `${(over * 100).toFixed(1)}%` } }) : null,
    over > 0 ? h("span", { class: "bar-capacity", style: { left: `${((1 / scale) * 100).toFixed(1)}%` } }) : null,
    h("span", { class: "bar-text" }, percent(u)),
  );
}

const W = 300;
const H = 240;
const PAD = { left: 40, right: 12, top: 12, bottom: 36 };

/**
 * Pairs placed by the power the actor holds over the stakeholder (x) and the stakeholder's
 * counter-power (y). Bottom right — much power over, little pushing back — is the exposed
 * quadrant. Each point is a keyboard-focusable button.
 */
export function powerGrid(entries, { describe, onPick, activeKey }) {
  const x = (v) => PAD.left + v * (W - PAD.left - PAD.right);
  const y = (v) => H - PAD.bottom - v * (H - PAD.top - PAD.bottom);
  const midX = x(0.5);
  const midY = y(0.5);
  const svg = s(
    "svg",
    { class: "power-grid", viewBox: `0 0 ${W} ${H}`, role: "group", "aria-label": "Power over each stakeholder against its counter-power" },
    s("rect", { x: midX, y: midY, width: x(1) - midX, height: y(0) - midY, class: "quadrant-exposed" }),
    s("rect", { x: PAD.left, y: PAD.top, width: x(1) - PAD.left, height: y(0) - PAD.top, class: "frame" }),
    s("line", { x1: midX, y1: PAD.top, x2: midX, y2: y(0), class: "mid" }),
    s("line", { x1: PAD.left, y1: midY, x2: x(1), y2: midY, class: "mid" }),
    s("text", { x: x(0.75), y: y(0.06), class: "quadrant-label", "text-anchor": "middle" }, "exposed"),
    s("text", { x: x(0.75), y: y(0.92), class: "quadrant-label", "text-anchor": "middle" }, "contested"),
    s("text", { x: x(0.25), y: y(0.92), class: "quadrant-label", "text-anchor": "middle" }, "balanced"),
    s("text", { x: x(0.25), y: y(0.06), class: "quadrant-label", "text-anchor": "middle" }, "low stakes"),
    s("text", { x: (PAD.left + W - PAD.right) / 2, y: H - 6, class: "axis-label", "text-anchor": "middle" }, "power over stakeholder →"),
    s("text", { x: 12, y: (PAD.top + H - PAD.bottom) / 2, class: "axis-label", "text-anchor": "middle", transform: `rotate(-90 12 ${(PAD.top + H - PAD.bottom) / 2})` }, "counter-power →"),
    [0, 0.5, 1].map((v) => [
      s("text", { x: x(v), y: y(0) + 13, class: "tick", "text-anchor": "middle" }, String(v)),
      s("text", { x: PAD.left - 5, y: y(v) + 4, class: "tick", "text-anchor": "end" }, String(v)),
    ]),
  );
  // Points at the same place fan out a little so each stays clickable.
  const seen = new Map();
  for (const e of entries) {
    const spot = `${e.powerOver.toFixed(2)}:${e.counterPower.toFixed(2)}`;
    const n = seen.get(spot) ?? 0;
    seen.set(spot, n + 1);
    const label = describe(e);
    const point = s(
      "circle",
      {
        cx: x(e.powerOver) + (n % 4) * 7,
        cy: y(e.counterPower) - Math.floor(n / 4) * 7,
        r: 6,
        class: e.key === activeKey ? "point active" : "point",
        fill: e.asymmetry >= 0.5 ? OKABE_ITO.vermillion : OKABE_ITO.blue,
        tabindex: "0",
        role: "button",
        "aria-label": label,
        "data-key": e.key,
      },
      s("title", null, label),
    );
    point.addEventListener("click", () => onPick(e));
    point.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") {
        ev.preventDefault();
        onPick(e);
      }
    });
    svg.appendChild(point);
  }
  return svg;
}
