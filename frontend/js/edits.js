// Edits as operations: {op: "upsertNode", input} | {op: "deleteNode", id} |
// {op: "upsertEdge", input} | {op: "deleteEdge", id}. Running a list of them calls the API
// mutations one by one (each with the map version it expects, so a concurrent edit elsewhere
// fails with CONFLICT instead of being overwritten), keeps the model in step, and returns the
// operations that undo what ran.

import { edgeId, edgeInput, nodeInput } from "./model.js";
import * as q from "./queries.js";

async function runOne(model, op) {
  const mapId = model.id;
  switch (op.op) {
    case "upsertNode": {
      const before = model.nodes.get(op.input.id);
      const r = await q.upsertNode(mapId, op.input, model.version);
      model.putNode(r.node);
      model.version = r.version;
      const inverse = before ? [{ op: "upsertNode", input: nodeInput(before) }] : [{ op: "deleteNode", id: r.node.id }];
      return { inverse, changed: { nodes: [r.node.id] } };
    }
    case "deleteNode": {
      const before = model.nodes.get(op.id);
      const r = await q.deleteNode(mapId, op.id, model.version);
      const removed = model.removeNode(op.id);
      model.version = r.version;
      const inverse = before
        ? [{ op: "upsertNode", input: nodeInput(before) }, ...removed.map((e) => ({ op: "upsertEdge", input: edgeInput(e) }))]
        : [];
      return { inverse, changed: { removedNodes: [op.id], removedEdges: removed.map((e) => e.id) } };
    }
    case "upsertEdge": {
      const before = model.edges.get(edgeId(op.input));
      const r = await q.upsertEdge(mapId, op.input, model.version);
      model.putEdge(r.edge);
      model.version = r.version;
      const inverse = before ? [{ op: "upsertEdge", input: edgeInput(before) }] : [{ op: "deleteEdge", id: r.edge.id }];
      return { inverse, changed: { edges: [r.edge.id] } };
    }
    case "deleteEdge": {
      const before = model.edges.get(op.id);
      const r = await q.deleteEdge(mapId, op.id, model.version);
      model.removeEdge(op.id);
      model.version = r.version;
      return {
        inverse: before ? [{ op: "upsertEdge", input: edgeInput(before) }] : [],
        changed: { removedEdges: [op.id] },
      };
    }
    default:
      throw new Error(`unknown edit operation ${op.op}`);
  }
}

/**
 * Run operations in order. Resolves to {inverse, changed}; on failure the error carries the
 * `inverse` and `changed` of the operations that did run, so they can still be undone and drawn.
 */
export async function runOps(model, ops) {
  const inverse = [];
  const changed = { nodes: [], edges: [], removedNodes: [], removedEdges: [] };
  const merge = (part) => {
    for (const [key, ids] of Object.entries(part)) changed[key].push(...ids);
  };
  for (const op of ops) {
    try {
      const done = await runOne(model, op);
      inverse.unshift(...done.inverse);
      merge(done.changed);
    } catch (error) {
      error.inverse = inverse;
      error.changed = changed;
      throw error;
    }
  }
  return { inverse, changed };
}

/**
 * The operations that store a recommendation's change set (the ChangeInput list a scenario
 * takes). `setNodeFields` / `setEdgeFields` become whole upserts of the merged record.
 */
export function opsFromChanges(model, changes) {
  const ops = [];
  const pendingNodes = new Map();
  const pendingEdges = new Map();
  for (const change of changes) {
    if (change.upsertNode) {
      pendingNodes.set(change.upsertNode.id, change.upsertNode);
      ops.push({ op: "upsertNode", input: change.upsertNode });
    } else if (change.deleteNode) {
      ops.push({ op: "deleteNode", id: change.deleteNode });
    } else if (change.upsertEdge) {
      pendingEdges.set(edgeId(change.upsertEdge), change.upsertEdge);
      ops.push({ op: "upsertEdge", input: change.upsertEdge });
    } else if (change.deleteEdge) {
      ops.push({ op: "deleteEdge", id: change.deleteEdge });
    } else if (change.setNodeFields) {
      const { id, fields } = change.setNodeFields;
      const base = pendingNodes.get(id) ?? (model.nodes.has(id) ? nodeInput(model.nodes.get(id)) : null);
      if (!base) throw new Error(`the change set edits node '${id}', which is not in the map`);
      const input = withFields(base, fields);
      pendingNodes.set(id, input);
      ops.push({ op: "upsertNode", input });
    } else if (change.setEdgeFields) {
      const { id, fields } = change.setEdgeFields;
      const base = pendingEdges.get(id) ?? (model.edges.has(id) ? edgeInput(model.edges.get(id)) : null);
      if (!base) throw new Error(`the change set edits edge '${id}', which is not in the map`);
      const input = withFields({ ...base, id }, fields);
      pendingEdges.set(id, input);
      ops.push({ op: "upsertEdge", input });
    }
  }
  return ops;
}

function withFields(input, fields) {
  const out = { ...input };
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/** The node and edge ids a change set touches (for highlighting a simulation). */
export function touchedBy(changes) {
  const nodes = new Set();
  const edges = new Set();
  for (const c of changes) {
    if (c.upsertNode) nodes.add(c.upsertNode.id);
    if (c.deleteNode) nodes.add(c.deleteNode);
    if (c.upsertEdge) {
      edges.add(edgeId(c.upsertEdge));
      nodes.add(c.upsertEdge.from);
      nodes.add(c.upsertEdge.to);
    }
    if (c.deleteEdge) edges.add(c.deleteEdge);
    if (c.setNodeFields) nodes.add(c.setNodeFields.id);
    if (c.setEdgeFields) edges.add(c.setEdgeFields.id);
  }
  return { nodes: [...nodes], edges: [...edges] };
}
