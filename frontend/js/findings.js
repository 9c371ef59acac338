// Findings of an analysis (docs/ANALYSES.md): what each one is about on the graph (the nodes,
// and the paths to draw), and a one-line description for lists and screen readers.

import { PATH_EDGE_KINDS, enumLabel } from "./kinds.js";
import { formatNumber, percent } from "./dom.js";

/** The analysis sections shown as tabs, in order: report key, tab label, short help. */
export const SECTIONS = [
  ["withoutContestPath", "Contest", "Stakeholders affected by a system who have no contest path to anyone who can change it."],
  ["mechanisms", "Mechanisms", "Contest demand each mechanism carries against its capacity; above 100% it is overloaded."],
  ["powerAsymmetry", "Power", "Power a deployer or developer holds over a stakeholder, against the stakeholder's counter-power."],
  ["accountabilityGaps", "Gaps", "Accountability gaps: systems nobody deploys or oversees, advisory-only oversight, conflicts of interest."],
  ["feedbackLoops", "Feedback", "Whether what a stakeholder reports can reach the system or its developer."],
  ["automationBias", "Automation", "Systems at risk of automation bias: high stakes with little human control or pressured operators."],
  ["salience", "Salience", "Stakeholder salience classes from power, legitimacy and urgency (Mitchell, Agle & Wood 1997)."],
  ["singlePointsOfFailure", "SPOF", "Nodes that lie on every contest path of some pairs: single points of failure."],
];

const SECTION_OF_PREFIX = {
  contest: "contestPairs",
  withoutContestPath: "withoutContestPath",
  mechanism: "mechanisms",
  feedback: "feedbackLoops",
  gap: "accountabilityGaps",
  automationBias: "automationBias",
  spof: "singlePointsOfFailure",
  salience: "salience",
  power: "powerAsymmetry",
};

export function sectionOfKey(key) {
  return SECTION_OF_PREFIX[String(key).split(":")[0]] ?? null;
}

/** Is this entry a problem (as opposed to a clean bill, like a PRESENT feedback loop)? */
export function isProblem(section, entry) {
  switch (section) {
    case "mechanisms":
      return entry.coverage < 1;
    case "feedbackLoops":
      return entry.status === "BROKEN";
    case "contestPairs":
      return entry.status !== "EFFECTIVE";
    case "salience":
      return false;
    case "powerAsymmetry":
      return entry.asymmetry >= 0.5;
    default:
      return true;
  }
}

/** Edge ids along a path of node ids (any direction; contest and feedback edges first). */
export function edgesAlong(model, path) {
  const edges = [];
  for (let i = 0; i + 1 < (path?.length ?? 0); i += 1) {
    const e = model.edgeBetween(path[i], path[i + 1], PATH_EDGE_KINDS);
    if (e) edges.push(e.id);
  }
  return edges;
}

function pairsThrough(analysis, nodeId) {
  return (analysis?.contestPairs ?? []).filter((p) => p.path?.includes(nodeId));
}

function affects(model, system, stakeholder) {
  const e = model.edges.get(`${system}--AFFECTS--${stakeholder}`);
  return e ? [e.id] : [];
}

/** {nodes, edges} of the graph a finding is about. */
export function focusOf(section, entry, model, analysis) {
  const nodes = new Set();
  const edges = new Set();
  const addPath = (path) => {
    for (const id of path ?? []) nodes.add(id);
    for (const id of edgesAlong(model, path)) edges.add(id);
  };
  switch (section) {
    case "withoutContestPath":
      nodes.add(entry.id);
      for (const p of entry.pairs) {
        nodes.add(p.system);
        for (const id of affects(model, p.system, entry.id)) edges.add(id);
      }
      break;
    case "contestPairs":
      nodes.add(entry.system);
      nodes.add(entry.stakeholder);
      for (const id of affects(model, entry.system, entry.stakeholder)) edges.add(id);
      addPath(entry.path);
      break;
    case "mechanisms":
      nodes.add(entry.id);
      for (const p of pairsThrough(analysis, entry.id)) addPath(p.path);
      break;
    case "feedbackLoops":
      nodes.add(entry.system);
      nodes.add(entry.stakeholder);
      for (const id of affects(model, entry.system, entry.stakeholder)) edges.add(id);
      addPath(entry.path);
      break;
    case "accountabilityGaps":
      nodes.add(entry.subject);
      for (const id of entry.related ?? []) {
        nodes.add(id);
        const e = model.edgeBetween(entry.subject, id);
        if (e) edges.add(e.id);
      }
      break;
    case "automationBias":
      nodes.add(entry.system);
      for (const e of model.edgesAt(entry.system)) {
        if (e.toId === entry.system && e.kind === "OPERATES") {
          nodes.add(e.fromId);
          edges.add(e.id);
        }
      }
      break;
    case "singlePointsOfFailure":
      nodes.add(entry.node);
      for (const p of pairsThrough(analysis, entry.node)) addPath(p.path);
      break;
    case "salience":
      nodes.add(entry.stakeholder);
      break;
    case "powerAsymmetry": {
      nodes.add(entry.actor);
      nodes.add(entry.system);
      nodes.add(entry.stakeholder);
      for (const kind of ["DEPLOYS", "DEVELOPS"]) {
        const e = model.edges.get(`${entry.actor}--${kind}--${entry.system}`);
        if (e) edges.add(e.id);
      }
      for (const id of affects(model, entry.system, entry.stakeholder)) edges.add(id);
      break;
    }
    default:
      break;
  }
  return { nodes: [...nodes].filter((id) => model.nodes.has(id)), edges: [...edges] };
}

/** The node ids a finding names (cheap: no path lookups), for "findings involving a node". */
export function mentions(section, entry) {
  switch (section) {
    case "withoutContestPath":
      return [entry.id, ...entry.pairs.map((p) => p.system)];
    case "contestPairs":
    case "feedbackLoops":
      return [entry.system, entry.stakeholder, ...(entry.path ?? [])];
    case "mechanisms":
      return [entry.id];
    case "accountabilityGaps":
      return [entry.subject, ...(entry.related ?? [])];
    case "automationBias":
      return [entry.system];
    case "singlePointsOfFailure":
      return [entry.node, ...entry.pairs.flat()];
    case "salience":
      return [entry.stakeholder];
    case "powerAsymmetry":
      return [entry.actor, entry.stakeholder, entry.system];
    default:
      return [];
  }
}

/** One line about a finding, with node names. */
export function describe(section, entry, model) {
  const n = (id) => (model ? model.name(id) : id);
  switch (section) {
    case "withoutContestPath":
      return `${entry.name ?? n(entry.id)} cannot contest ${entry.pairs
        .map((p) => `${n(p.system)} (${enumLabel(p.status)})`)
        .join(", ")}`;
    case "contestPairs":
      return `${n(entry.stakeholder)} → ${n(entry.system)}: ${enumLabel(entry.status)}`;
    case "mechanisms":
      return `${n(entry.id)}: ${percent(entry.utilization)} utilised, coverage ${percent(entry.coverage)}`;
    case "feedbackLoops":
      return `${n(entry.stakeholder)} → ${n(entry.system)}: feedback ${enumLabel(entry.status)}`;
    case "accountabilityGaps":
      return `${enumLabel(entry.type)}: ${n(entry.subject)} — ${entry.reason}`;
    case "automationBias":
      return `${n(entry.system)}: ${enumLabel(entry.level)} risk (${entry.flags.map(enumLabel).join(", ")})`;
    case "singlePointsOfFailure":
      return `${n(entry.node)}: on every contest path of ${entry.pairs.length} pair${entry.pairs.length === 1 ? "" : "s"}`;
    case "salience":
      return `${n(entry.stakeholder)}: ${enumLabel(entry.class)}`;
    case "powerAsymmetry":
      return `${n(entry.actor)} over ${n(entry.stakeholder)} via ${n(entry.system)}: asymmetry ${formatNumber(entry.asymmetry)}`;
    default:
      return entry.key ?? "";
  }
}

/** Describe a finding known only by its key and a before/after entry (scenario results). */
export function describeChange(change, model) {
  const entry = change.after ?? change.before;
  if (entry && change.section) return describe(change.section, entry, model);
  return change.key;
}

/**
 * The nodes a large map opens on: those in problem findings and their neighbours, up to
 * `size`; the best-connected nodes when findings name too few. Empty for maps of at most
 * `above` nodes, which are drawn whole.
 */
export function focusSet(model, analysis, { above, size }) {
  if (model.nodes.size <= above) return [];
  const chosen = new Set();
  findings: for (const [section] of SECTIONS) {
    for (const entry of analysis?.[section] ?? []) {
      if (chosen.size >= size / 2) break findings;
      if (!isProblem(section, entry)) continue;
      for (const id of focusOf(section, entry, model, analysis).nodes) chosen.add(id);
    }
  }
  for (const e of model.edges.values()) {
    if (chosen.size >= size) break;
    if (chosen.has(e.fromId) && !chosen.has(e.toId)) chosen.add(e.toId);
    else if (chosen.has(e.toId) && !chosen.has(e.fromId)) chosen.add(e.fromId);
  }
  const degree = (id) => model.edgesAt(id).length;
  const byDegree = [...model.nodes.keys()].sort((a, b) => degree(b) - degree(a) || (a < b ? -1 : 1));
  for (const id of byDegree) {
    if (chosen.size >= Math.min(size, 60)) break;
    chosen.add(id);
  }
  return [...chosen];
}
