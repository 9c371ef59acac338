// How the map looks on the canvas: vis-network options and the item (node, edge) of each record
// — shape and colour by node kind, line style by edge kind, marked and dimmed states, and the
// white dashed look of what a simulation proposes. Tooltips are DOM elements built from text.

import { EDGE_KINDS, HIGHLIGHT, NODE_KINDS, OKABE_ITO, enumLabel, fieldLabel, nodeKindLabel } from "./kinds.js";
import { formatNumber, h } from "./dom.js";

const DIMMED = 0.15;
const PROPOSED = "#ffffff";

export const OPTIONS = {
  autoResize: true,
  layout: { randomSeed: 7, improvedLayout: true },
  physics: {
    enabled: false,
    solver: "forceAtlas2Based",
    forceAtlas2Based: {
      gravitationalConstant: -120,
      centralGravity: 0.015,
      springLength: 130,
      springConstant: 0.04,
      avoidOverlap: 0.9,
      damping: 0.5,
    },
    stabilization: { enabled: false },
    minVelocity: 0.75,
  },
  interaction: {
    hover: true,
    tooltipDelay: 250,
    keyboard: { enabled: true, bindToWindow: false },
    multiselect: false,
  },
  nodes: {
    borderWidth: 1.5,
    size: 14,
    font: { size: 16, face: "system-ui, -apple-system, 'Segoe UI', sans-serif" },
    borderWidthSelected: 4,
    widthConstraint: { maximum: 170 },
  },
  edges: {
    arrows: { to: { enabled: true, scaleFactor: 0.55 } },
    smooth: { enabled: true, type: "continuous", roundness: 0.25 },
    font: { size: 10, align: "middle", color: "#333333", strokeWidth: 3, strokeColor: "#ffffff" },
    selectionWidth: 2.5,
    hoverWidth: 1.5,
  },
};

function tooltipOfNode(rec) {
  const spec = NODE_KINDS[rec.kind];
  const rows = (spec?.fields ?? [])
    .filter((f) => rec[f.name] !== null && rec[f.name] !== undefined)
    .map((f) => h("div", null, `${fieldLabel(f.name)}: ${f.type === "enum" ? enumLabel(rec[f.name]) : formatNumber(rec[f.name])}`));
  return h("div", { class: "tip" }, h("strong", null, rec.name), h("div", { class: "tip-kind" }, nodeKindLabel(rec.kind)), rows);
}

function tooltipOfEdge(rec, model) {
  const spec = EDGE_KINDS[rec.kind];
  const rows = (spec?.fields ?? [])
    .filter((f) => rec[f.name] !== null && rec[f.name] !== undefined)
    .map((f) => h("div", null, `${fieldLabel(f.name)}: ${f.type === "enum" ? enumLabel(rec[f.name]) : String(rec[f.name])}`));
  return h(
    "div",
    { class: "tip" },
    h("strong", null, enumLabel(rec.kind)),
    h("div", null, `${model.name(rec.fromId)} → ${model.name(rec.toId)}`),
    rows,
  );
}

export function truncate(text, max = 48) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The vis item of a node record; `marked` nodes are outlined, `dim` ones faded. */
export function nodeItem(rec, { marked = false, dim = false } = {}) {
  const spec = NODE_KINDS[rec.kind] ?? NODE_KINDS.Organization;
  return {
    id: rec.id,
    kind: rec.kind,
    tags: rec.tags ?? [],
    label: truncate(rec.name),
    title: tooltipOfNode(rec),
    shape: spec.shape,
    size: rec.kind === "AffectedCommunity" ? 17 : 14,
    color: {
      background: spec.color,
      border: marked ? HIGHLIGHT : spec.border,
      highlight: { background: spec.color, border: HIGHLIGHT },
      hover: { background: spec.color, border: HIGHLIGHT },
    },
    font: {
      color: dim ? "rgba(17,17,17,0.3)" : ["box", "ellipse"].includes(spec.shape) ? spec.font : "#111111",
      bold: marked,
    },
    borderWidth: marked ? 5 : 1.5,
    shadow: { enabled: marked, color: "rgba(0,0,0,0.45)", size: 12, x: 0, y: 0 },
    opacity: dim ? DIMMED : 1,
  };
}

/** The vis item of an edge record. */
export function edgeItem(rec, model, { marked = false, dim = false, labels = false } = {}) {
  const spec = EDGE_KINDS[rec.kind] ?? { color: "#888888", dashes: false, width: 1 };
  const own = marked ? HIGHLIGHT : spec.color;
  return {
    id: rec.id,
    from: rec.fromId,
    to: rec.toId,
    kind: rec.kind,
    title: model ? tooltipOfEdge(rec, model) : rec.kind,
    label: labels ? enumLabel(rec.kind) : "",
    // Selection and hover widen an edge in its own colour: black means "highlighted finding".
    color: { color: own, highlight: own, hover: own, opacity: dim ? DIMMED : 1 },
    dashes: spec.dashes,
    width: marked ? spec.width + 3 : spec.width,
  };
}

/** A node a simulation would add: white, dashed, marked "+". */
export function proposedNodeItem(input, id) {
  return {
    id,
    proposed: true,
    label: `+ ${truncate(input.name ?? input.id, 40)}`,
    title: h("div", { class: "tip" }, h("strong", null, "Proposed"), h("div", null, input.name ?? input.id)),
    shape: NODE_KINDS[input.kind]?.shape ?? "ellipse",
    color: { background: PROPOSED, border: HIGHLIGHT },
    font: { color: "#111111", bold: true },
    borderWidth: 3,
    shapeProperties: { borderDashes: [6, 4] },
  };
}

/** An edge a simulation would add. */
export function proposedEdgeItem(input, id, from, to) {
  return {
    id,
    proposed: true,
    from,
    to,
    label: `+ ${enumLabel(input.kind)}`,
    color: { color: HIGHLIGHT, opacity: 1 },
    dashes: [6, 4],
    width: 4,
  };
}

/** How an edge a simulation would delete is drawn. */
export const REMOVED_EDGE = { color: { color: OKABE_ITO.vermillion, opacity: 1 }, dashes: [2, 6], width: 4, label: "× removed" };
