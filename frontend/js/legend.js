// The legend, which is also the filter: a checkbox per node kind (with its shape and colour)
// and per edge kind (with its line style), a tag picker, and the edge-label switch.

import { EDGE_KINDS, NODE_KINDS, enumLabel } from "./kinds.js";
import { $, h, replace, s } from "./dom.js";

function nodeSwatch(kind) {
  const spec = NODE_KINDS[kind];
  const paint = { fill: spec.color, stroke: spec.border, "stroke-width": 1.5 };
  let shape;
  switch (spec.shape) {
    case "box":
      shape = s("rect", { x: 2, y: 5, width: 20, height: 14, rx: 3, ...paint });
      break;
    case "ellipse":
      shape = s("ellipse", { cx: 12, cy: 12, rx: 10, ry: 7, ...paint });
      break;
    case "square":
      shape = s("rect", { x: 4, y: 4, width: 16, height: 16, ...paint });
      break;
    case "dot":
      shape = s("circle", { cx: 12, cy: 12, r: 8, ...paint });
      break;
    case "diamond":
      shape = s("polygon", { points: "12,2 22,12 12,22 2,12", ...paint });
      break;
    case "hexagon":
      shape = s("polygon", { points: "7,3 17,3 22,12 17,21 7,21 2,12", ...paint });
      break;
    case "triangle":
      shape = s("polygon", { points: "12,3 22,20 2,20", ...paint });
      break;
    default:
      shape = s("circle", { cx: 12, cy: 12, r: 8, ...paint });
  }
  return s("svg", { class: "swatch", width: 24, height: 24, viewBox: "0 0 24 24", "aria-hidden": "true" }, shape);
}

function edgeSwatch(kind) {
  const spec = EDGE_KINDS[kind];
  const line = s("line", {
    x1: 1,
    y1: 8,
    x2: 33,
    y2: 8,
    stroke: spec.color,
    "stroke-width": Math.min(spec.width + 0.5, 3.5),
    "stroke-dasharray": spec.dashes ? spec.dashes.join(" ") : null,
  });
  return s("svg", { class: "swatch", width: 34, height: 16, viewBox: "0 0 34 16", "aria-hidden": "true" }, line);
}

export class Legend {
  /** onChange({hiddenKinds, hiddenEdgeKinds, tag}); onEdgeLabels(on) */
  constructor({ onChange, onEdgeLabels }) {
    this.onChange = onChange;
    this.onEdgeLabels = onEdgeLabels;
    this.hiddenKinds = new Set();
    this.hiddenEdgeKinds = new Set();
    this.tag = "";
    $("#edge-labels").addEventListener("change", (ev) => this.onEdgeLabels(ev.target.checked));
    $("#tag-filter").addEventListener("change", (ev) => {
      this.tag = ev.target.value;
      this._changed();
    });
    $("#show-all-kinds").addEventListener("click", () => this.reset());
  }

  _changed() {
    this.onChange({ hiddenKinds: new Set(this.hiddenKinds), hiddenEdgeKinds: new Set(this.hiddenEdgeKinds), tag: this.tag });
  }

  reset() {
    this.hiddenKinds.clear();
    this.hiddenEdgeKinds.clear();
    this.tag = "";
    for (const box of document.querySelectorAll("#kind-filters input, #edge-filters input")) box.checked = true;
    $("#tag-filter").value = "";
    this._changed();
  }

  /** Rebuild for a map: counts per kind and the map's tags. */
  render(model) {
    const counts = {};
    for (const n of model.nodes.values()) counts[n.kind] = (counts[n.kind] ?? 0) + 1;
    const edgeCounts = {};
    for (const e of model.edges.values()) edgeCounts[e.kind] = (edgeCounts[e.kind] ?? 0) + 1;
    replace(
      $("#kind-filters"),
      Object.entries(NODE_KINDS).map(([kind, spec]) =>
        h(
          "li",
          null,
          h(
            "label",
            { class: "legend-item" },
            h("input", {
              type: "checkbox",
              checked: !this.hiddenKinds.has(kind),
              value: kind,
              "data-kind": kind,
              onchange: (ev) => this._toggle(this.hiddenKinds, kind, ev.target.checked),
            }),
            nodeSwatch(kind),
            h("span", { class: "legend-label" }, spec.label),
            h("span", { class: "count", "aria-label": `${counts[kind] ?? 0} nodes` }, String(counts[kind] ?? 0)),
          ),
        ),
      ),
    );
    replace(
      $("#edge-filters"),
      Object.keys(EDGE_KINDS).map((kind) =>
        h(
          "li",
          null,
          h(
            "label",
            { class: "legend-item" },
            h("input", {
              type: "checkbox",
              checked: !this.hiddenEdgeKinds.has(kind),
              value: kind,
              "data-edge-kind": kind,
              onchange: (ev) => this._toggle(this.hiddenEdgeKinds, kind, ev.target.checked),
            }),
            edgeSwatch(kind),
            h("span", { class: "legend-label" }, enumLabel(kind)),
            h("span", { class: "count", "aria-label": `${edgeCounts[kind] ?? 0} edges` }, String(edgeCounts[kind] ?? 0)),
          ),
        ),
      ),
    );
    const tags = model.tags();
    if (!tags.includes(this.tag)) this.tag = "";
    replace(
      $("#tag-filter"),
      h("option", { value: "" }, tags.length ? "Any tag" : "No tags in this map"),
      tags.map((t) => h("option", { value: t, selected: t === this.tag }, t)),
    );
    $("#tag-filter").disabled = !tags.length;
  }

  _toggle(set, kind, shown) {
    if (shown) set.delete(kind);
    else set.add(kind);
    this._changed();
  }
}
