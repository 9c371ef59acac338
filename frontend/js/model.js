// The map the explorer holds in memory: every node and edge record as the API returned them,
// and the map version they belong to (sent back with every edit as `expectedVersion`).

import { EDGE_KINDS, NODE_KINDS } from "./kinds.js";

const COMMON_NODE = ["id", "kind", "name", "description", "tags", "sources", "attributes"];
const COMMON_EDGE = ["id", "kind", "description", "sources", "attributes"];

export class MapModel {
  constructor({ info, nodes, edges, sources = [] }) {
    this.info = info;
    this.version = info.version;
    this.nodes = new Map(nodes.map((n) => [n.id, n]));
    this.edges = new Map();
    this.touching = new Map(); // node id → Set of ids of the edges at it
    for (const e of edges) this.putEdge(e);
    this.sources = new Map(sources.map((s) => [s.id, s]));
  }

  _touch(nodeId) {
    let set = this.touching.get(nodeId);
    if (!set) {
      set = new Set();
      this.touching.set(nodeId, set);
    }
    return set;
  }

  /** Records of the edges at a node. */
  edgesAt(id) {
    return [...(this.touching.get(id) ?? [])].map((eid) => this.edges.get(eid));
  }

  get id() {
    return this.info.id;
  }

  name(id) {
    return this.nodes.get(id)?.name ?? id;
  }

  /** Edges leaving and entering a node, in id order. */
  edgesOf(id) {
    const outgoing = [];
    const incoming = [];
    for (const e of this.edgesAt(id)) {
      if (e.fromId === id) outgoing.push(e);
      if (e.toId === id) incoming.push(e);
    }
    const byId = (a, b) => (a.id < b.id ? -1 : 1);
    return { outgoing: outgoing.sort(byId), incoming: incoming.sort(byId) };
  }

  /** An edge joining two nodes, either way round; kinds in `prefer` first. */
  edgeBetween(a, b, prefer = new Set()) {
    let found = null;
    for (const e of this.edgesAt(a)) {
      const joins = (e.fromId === a && e.toId === b) || (e.fromId === b && e.toId === a);
      if (!joins) continue;
      if (prefer.has(e.kind)) return e;
      found ??= e;
    }
    return found;
  }

  tags() {
    const all = new Set();
    for (const n of this.nodes.values()) for (const t of n.tags ?? []) all.add(t);
    return [...all].sort();
  }

  putNode(record) {
    this.nodes.set(record.id, record);
  }

  /** Remove a node and the edges touching it; the edge records removed. */
  removeNode(id) {
    this.nodes.delete(id);
    const removed = this.edgesAt(id);
    for (const e of removed) this.removeEdge(e.id);
    this.touching.delete(id);
    return removed;
  }

  putEdge(record) {
    this.removeEdge(record.id);
    this.edges.set(record.id, record);
    this._touch(record.fromId).add(record.id);
    this._touch(record.toId).add(record.id);
  }

  removeEdge(id) {
    const record = this.edges.get(id);
    if (!record) return undefined;
    this.edges.delete(id);
    this.touching.get(record.fromId)?.delete(id);
    this.touching.get(record.toId)?.delete(id);
    return record;
  }

  /** An id for a new node from its name, not yet used in the map. */
  freshNodeId(name) {
    const base =
      String(name)
        .toLowerCase()
        .normalize("NFKD")
        .replace(/[^a-z0-9._-]+/g, "-")
        .replace(/^[^a-z0-9]+|-+$/g, "")
        .slice(0, 120) || "node";
    let id = base;
    for (let i = 2; this.nodes.has(id); i += 1) id = `${base}-${i}`;
    return id;
  }
}

/** The NodeInput that recreates a node record exactly. */
export function nodeInput(record) {
  const input = {};
  const fields = [...COMMON_NODE, ...(NODE_KINDS[record.kind]?.fields ?? []).map((f) => f.name)];
  for (const name of fields) {
    if (record[name] !== null && record[name] !== undefined) input[name] = record[name];
  }
  return input;
}

/** The EdgeInput that recreates an edge record exactly. */
export function edgeInput(record) {
  const input = { from: record.fromId, to: record.toId };
  const fields = [...COMMON_EDGE, ...(EDGE_KINDS[record.kind]?.fields ?? []).map((f) => f.name)];
  for (const name of fields) {
    if (record[name] !== null && record[name] !== undefined) input[name] = record[name];
  }
  return input;
}

export function edgeId(input) {
  return input.id || `${input.from}--${input.kind}--${input.to}`;
}
