// The graph canvas: vis-network (served from the pyvis package) drawing the map, with styles by
// kind, filters, highlights of findings and paths, previews of what-if changes, saved
// positions, and a focus set for large maps (so thousands of nodes stay responsive).

import { NODE_KINDS } from "./kinds.js";
import { OPTIONS, REMOVED_EDGE, edgeItem, nodeItem, proposedEdgeItem, proposedNodeItem } from "./styles.js";

/** Above this many nodes a map opens on a focus set (findings and their neighbours)... */
export const LARGE_MAP = 300;
/** ...of at most this many nodes. */
export const FOCUS_SIZE = 150;
/** Above this many drawn nodes there is no force layout: nodes go on a spiral by kind. */
const NO_PHYSICS_ABOVE = 400;

/** Layout iterations: plenty for workshop-sized maps, fewer as maps grow (cost ~ n log n). */
function iterationsFor(n) {
  return n <= 60 ? 400 : Math.max(100, Math.round(20_000 / n));
}

export class GraphView {
  /**
   * handlers: selectNode(id), selectEdge(id), deselect(), doubleClickNode(id),
   * positionsChanged({id: {x, y}}), frozenChanged(frozen)
   */
  constructor(container, handlers = {}) {
    const vis = window.vis;
    this.container = container;
    this.handlers = handlers;
    this.model = null;
    this.revealed = null; // null: every node; else the Set of node ids drawn (large maps)
    this.pinned = new Set(); // shown whatever the filters say (searched for, selected)
    this.filters = { hiddenKinds: new Set(), hiddenEdgeKinds: new Set(), tag: "" };
    this.marked = { nodes: new Set(), edges: new Set() };
    this.proposed = { nodes: [], edges: [] };
    this.frozen = true;
    this.edgeLabels = false;
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.nodeView = new vis.DataView(this.nodes, { filter: (n) => this._nodePasses(n) });
    this.edgeView = new vis.DataView(this.edges, { filter: (e) => this._edgePasses(e) });
    this.network = new vis.Network(container, { nodes: this.nodeView, edges: this.edgeView }, OPTIONS);
    this._bind();
  }

  _bind() {
    const net = this.network;
    net.on("click", (p) => {
      const node = p.nodes.find((id) => this.model?.nodes.has(id));
      const edge = p.edges.find((id) => this.model?.edges.has(id));
      if (node) this.handlers.selectNode?.(node);
      else if (edge && !p.nodes.length) this.handlers.selectEdge?.(edge);
      else if (!p.nodes.length && !p.edges.length) this.handlers.deselect?.();
    });
    net.on("doubleClick", (p) => {
      const node = p.nodes.find((id) => this.model?.nodes.has(id));
      if (node) this.handlers.doubleClickNode?.(node);
    });
    net.on("dragEnd", (p) => {
      if (p.nodes.length) this.savePositions();
    });
  }

  // --- filters -----------------------------------------------------------------------------

  _nodePasses(n) {
    if (n.proposed || this.pinned.has(n.id)) return true;
    if (this.filters.hiddenKinds.has(n.kind)) return false;
    return !this.filters.tag || (n.tags ?? []).includes(this.filters.tag);
  }

  _edgePasses(e) {
    if (e.proposed) return true;
    if (this.filters.hiddenEdgeKinds.has(e.kind)) return false;
    const from = this.nodes.get(e.from);
    const to = this.nodes.get(e.to);
    return Boolean(from && to && this._nodePasses(from) && this._nodePasses(to));
  }

  setFilters(filters) {
    Object.assign(this.filters, filters);
    this.pinned.clear();
    this._refreshViews();
  }

  _refreshViews() {
    this.nodeView.refresh();
    this.edgeView.refresh();
  }

  /** Ids of the nodes on the canvas now (after filters and the large-map focus set). */
  drawnNodeIds() {
    return this.nodeView.getIds().filter((id) => this.model?.nodes.has(id));
  }

  drawnEdgeIds() {
    return this.edgeView.getIds().filter((id) => this.model?.edges.has(id));
  }

  // --- items ---------------------------------------------------------------------------------

  _nodeItem(rec) {
    const marked = this.marked.nodes.has(rec.id);
    return nodeItem(rec, { marked, dim: this.marked.nodes.size > 0 && !marked });
  }

  _edgeItem(rec) {
    const marked = this.marked.edges.has(rec.id);
    const dim = (this.marked.nodes.size > 0 || this.marked.edges.size > 0) && !marked;
    return edgeItem(rec, this.model, { marked, dim, labels: this.edgeLabels });
  }

  _visibleRecordEdges() {
    const out = [];
    for (const e of this.model.edges.values()) {
      if (!this.revealed || (this.revealed.has(e.fromId) && this.revealed.has(e.toId))) out.push(e);
    }
    return out;
  }

  // --- loading a map ---------------------------------------------------------------------------

  /**
   * Draw a map. `focus` names the nodes to open on when the map is large; `positions` are the
   * saved ones. Resolves once the layout has settled.
   */
  setModel(model, { positions = {}, focus = [] } = {}) {
    this.model = model;
    this.pinned.clear();
    this.marked = { nodes: new Set(), edges: new Set() };
    this.proposed = { nodes: [], edges: [] };
    this.revealed = model.nodes.size > LARGE_MAP ? new Set(focus.filter((id) => model.nodes.has(id))) : null;
    const records = [...model.nodes.values()].filter((n) => !this.revealed || this.revealed.has(n.id));
    this.network.setOptions({ layout: { improvedLayout: records.length <= 150 } });
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(records.map((r) => this._nodeItem(r)));
    this.edges.add(this._visibleRecordEdges().map((e) => this._edgeItem(e)));
    return this._layout(positions);
  }

  /** Saved positions where there are any; a force layout (or a spiral) for the rest. */
  _layout(positions) {
    const ids = this.nodes.getIds();
    const missing = ids.filter((id) => !positions[id]);
    const placed = ids.filter((id) => positions[id]).map((id) => ({ id, ...positions[id] }));
    this.frozen = true;
    this.handlers.frozenChanged?.(true);
    if (!missing.length || ids.length > NO_PHYSICS_ABOVE) {
      this.network.setOptions({ physics: { enabled: false } });
      this.nodes.update([...placed, ...this._spiral(missing)]);
      this.network.fit({ animation: false });
      return Promise.resolve();
    }
    this.nodes.update(placed.map((p) => ({ ...p, fixed: true })));
    return new Promise((resolve) => {
      const done = () => {
        this.network.setOptions({ physics: { enabled: false } });
        this.nodes.update(placed.map((p) => ({ id: p.id, fixed: false })));
        this.network.fit({ animation: false });
        resolve();
      };
      this.network.once("stabilizationIterationsDone", done);
      this.network.setOptions({ physics: { enabled: true } });
      this.network.stabilize(iterationsFor(ids.length));
    });
  }

  /** Deterministic positions on a spiral, grouped by kind (for maps too big for physics). */
  _spiral(ids) {
    const order = Object.keys(NODE_KINDS);
    const sorted = [...ids].sort((a, b) => {
      const ka = order.indexOf(this.model.nodes.get(a)?.kind);
      const kb = order.indexOf(this.model.nodes.get(b)?.kind);
      return ka - kb || (a < b ? -1 : 1);
    });
    return sorted.map((id, i) => ({
      id,
      x: Math.round(38 * Math.sqrt(i + 1) * Math.cos(i * 2.39996)),
      y: Math.round(38 * Math.sqrt(i + 1) * Math.sin(i * 2.39996)),
    }));
  }

  /** Lay the map out afresh (saved positions forgotten by the caller). */
  relayout() {
    const items = this.nodes.get().map(({ x, y, fixed, ...rest }) => rest);
    this.nodes.clear();
    this.nodes.add(items);
    return this._layout({});
  }

  // --- large maps: what is drawn ----------------------------------------------------------------

  /** Number of nodes not drawn because of the large-map focus set, by kind. */
  hiddenByFocus() {
    const byKind = {};
    let total = 0;
    if (!this.revealed) return { total, byKind };
    for (const n of this.model.nodes.values()) {
      if (this.revealed.has(n.id)) continue;
      total += 1;
      byKind[n.kind] = (byKind[n.kind] ?? 0) + 1;
    }
    return { total, byKind };
  }

  /** Draw more nodes of a large map (next to `near` when given). */
  reveal(ids, near = null) {
    if (!this.revealed) return [];
    const added = ids.filter((id) => this.model.nodes.has(id) && !this.revealed.has(id));
    if (!added.length) return [];
    for (const id of added) this.revealed.add(id);
    let place;
    if (near && this.nodes.get(near)) {
      // A ring around the node whose neighbourhood this is.
      const o = this.network.getPositions([near])[near];
      const r = 140 + 4 * added.length;
      place = (i) => ({ x: o.x + r * Math.cos((2 * Math.PI * i) / added.length), y: o.y + r * Math.sin((2 * Math.PI * i) / added.length) });
    } else {
      // A column right of everything drawn, so nothing lands on top of another node.
      const xs = Object.values(this.network.getPositions());
      const right = xs.length ? Math.max(...xs.map((p) => p.x)) + 180 : 0;
      const top = xs.length ? Math.min(...xs.map((p) => p.y)) : 0;
      place = (i) => ({ x: right, y: top + 90 * i });
    }
    this.nodes.add(added.map((id, i) => ({ ...this._nodeItem(this.model.nodes.get(id)), ...place(i) })));
    const have = new Set(this.edges.getIds());
    this.edges.add(this._visibleRecordEdges().filter((e) => !have.has(e.id)).map((e) => this._edgeItem(e)));
    return added;
  }

  revealAll() {
    if (!this.revealed) return;
    const missing = [...this.model.nodes.keys()].filter((id) => !this.revealed.has(id));
    this.revealed = null;
    const spiral = this._spiral(missing);
    const far = Math.max(0, ...Object.values(this.network.getPositions()).map((p) => Math.abs(p.x)));
    this.nodes.add(spiral.map((p) => ({ ...this._nodeItem(this.model.nodes.get(p.id)), x: p.x + far + 400, y: p.y })));
    const have = new Set(this.edges.getIds());
    this.edges.add(this._visibleRecordEdges().filter((e) => !have.has(e.id)).map((e) => this._edgeItem(e)));
  }

  _viewCenter() {
    return this.network.getViewPosition();
  }

  // --- edits ---------------------------------------------------------------------------------

  /** Draw a node added or changed by an edit (new nodes appear in the middle of the view). */
  putNode(rec) {
    if (this.revealed) this.revealed.add(rec.id);
    const item = this._nodeItem(rec);
    if (this.nodes.get(rec.id)) {
      this.nodes.update(item);
    } else {
      const c = this._viewCenter();
      const jitter = () => Math.round((Math.random() - 0.5) * 80);
      this.nodes.add({ ...item, x: c.x + jitter(), y: c.y + jitter() });
      this.savePositions();
    }
    for (const e of this.model.edgesAt(rec.id)) {
      if (this.nodes.get(e.fromId) && this.nodes.get(e.toId)) {
        this.edges.update(this._edgeItem(e));
      }
    }
    this._refreshViews();
  }

  removeNode(id) {
    this.nodes.remove(id);
    this.edges.remove(this.edges.getIds({ filter: (e) => e.from === id || e.to === id }));
    this.revealed?.delete(id);
  }

  putEdge(rec) {
    if (this.revealed) {
      this.reveal([rec.fromId, rec.toId]);
    }
    if (this.nodes.get(rec.fromId) && this.nodes.get(rec.toId)) this.edges.update(this._edgeItem(rec));
    this._refreshViews();
  }

  removeEdge(id) {
    this.edges.remove(id);
  }

  // --- selection, focus, highlight ---------------------------------------------------------------

  /** Centre on a node and select it; drawn even when hidden by a filter or the focus set. */
  focusNode(id, { animate = true } = {}) {
    if (!this.model?.nodes.has(id)) return;
    if (this.revealed && !this.revealed.has(id)) this.reveal([id]);
    if (!this.nodeView.get(id)) {
      this.pinned.add(id);
      this._refreshViews();
    }
    this.network.selectNodes([id]);
    const scale = Math.max(this.network.getScale(), 1);
    this.network.focus(id, { scale, animation: animate ? { duration: 350, easingFunction: "easeInOutQuad" } : false });
  }

  selectEdge(id) {
    if (this.edges.get(id)) this.network.selectEdges([id]);
  }

  unselect() {
    this.network.unselectAll();
  }

  /** Mark some nodes and edges (a finding, a path) and dim everything else. */
  highlight({ nodes = [], edges = [] } = {}, { fit = true } = {}) {
    if (this.revealed) this.reveal(nodes);
    const drawn = nodes.filter((id) => this.nodes.get(id));
    for (const id of drawn) {
      if (!this.nodeView.get(id)) this.pinned.add(id);
    }
    this.marked = { nodes: new Set(drawn), edges: new Set(edges.filter((id) => this.edges.get(id))) };
    this._restyle();
    if (fit && drawn.length) {
      this.network.fit({ nodes: drawn, animation: { duration: 350, easingFunction: "easeInOutQuad" }, maxZoomLevel: 1.3 });
    }
  }

  clearHighlight() {
    if (!this.marked.nodes.size && !this.marked.edges.size && !this.proposed.nodes.length && !this.proposed.edges.length) return;
    this.marked = { nodes: new Set(), edges: new Set() };
    this._clearProposed();
    this._restyle();
  }

  /** The marked ids (for tests and the status line). */
  highlighted() {
    return { nodes: [...this.marked.nodes].sort(), edges: [...this.marked.edges].sort() };
  }

  _restyle() {
    this.nodes.update(this.nodes.get({ filter: (n) => !n.proposed }).map((n) => this._nodeItem(this.model.nodes.get(n.id))));
    this.edges.update(this.edges.get({ filter: (e) => !e.proposed }).map((e) => this._edgeItem(this.model.edges.get(e.id))));
    this._refreshViews();
  }

  setEdgeLabels(on) {
    this.edgeLabels = on;
    this._restyle();
  }

  // --- what-if preview --------------------------------------------------------------------------

  /**
   * Show a change set on the canvas: new nodes and edges drawn as proposals (white, dashed),
   * deleted edges struck (vermillion, dashed), touched elements marked.
   */
  preview(changes) {
    this._clearProposed();
    const nodes = new Set();
    const edges = new Set();
    const newNodes = [];
    const newEdges = [];
    for (const c of changes) {
      if (c.upsertNode) {
        nodes.add(c.upsertNode.id);
        if (!this.model.nodes.has(c.upsertNode.id)) newNodes.push(c.upsertNode);
      } else if (c.upsertEdge) {
        const e = c.upsertEdge;
        const id = e.id || `${e.from}--${e.kind}--${e.to}`;
        nodes.add(e.from);
        nodes.add(e.to);
        if (this.model.edges.has(id)) edges.add(id);
        else newEdges.push({ ...e, id });
      } else if (c.setNodeFields) {
        nodes.add(c.setNodeFields.id);
      } else if (c.setEdgeFields) {
        edges.add(c.setEdgeFields.id);
      } else if (c.deleteEdge) {
        edges.add(c.deleteEdge);
      } else if (c.deleteNode) {
        nodes.add(c.deleteNode);
      }
    }
    if (this.revealed) this.reveal([...nodes]);
    const deleted = new Set(changes.filter((c) => c.deleteEdge).map((c) => c.deleteEdge));
    const c = this._viewCenter();
    this.proposed.nodes = newNodes.map((n, i) => `proposed:${n.id}:${i}`);
    this.nodes.add(
      newNodes.map((n, i) => {
        // Between the drawn nodes it connects to, a little above, so it covers none of them.
        const others = newEdges
          .filter((e) => e.from === n.id || e.to === n.id)
          .map((e) => (e.from === n.id ? e.to : e.from))
          .filter((id) => this.nodes.get(id));
        const points = Object.values(this.network.getPositions(others));
        const mid = points.length
          ? { x: points.reduce((t, p) => t + p.x, 0) / points.length, y: points.reduce((t, p) => t + p.y, 0) / points.length }
          : c;
        return { ...proposedNodeItem(n, this.proposed.nodes[i]), x: mid.x + i * 40, y: mid.y - 100 - i * 40 };
      }),
    );
    const idOf = (nodeId) => {
      const i = newNodes.findIndex((n) => n.id === nodeId);
      return i >= 0 ? this.proposed.nodes[i] : nodeId;
    };
    this.proposed.edges = newEdges.map((e) => `proposed:${e.id}`);
    this.edges.add(
      newEdges.map((e, i) => proposedEdgeItem(e, this.proposed.edges[i], idOf(e.from), idOf(e.to))),
    );
    this.marked = { nodes: new Set([...nodes].filter((id) => this.nodes.get(id))), edges: new Set([...edges].filter((id) => this.edges.get(id))) };
    this._restyle();
    for (const id of deleted) {
      if (this.edges.get(id)) {
        this.edges.update({ id, ...REMOVED_EDGE });
      }
    }
    const fitTo = [...this.marked.nodes, ...this.proposed.nodes];
    if (fitTo.length) this.network.fit({ nodes: fitTo, animation: { duration: 350, easingFunction: "easeInOutQuad" }, maxZoomLevel: 1.3 });
    return { nodes: [...this.marked.nodes], edges: [...this.marked.edges], proposedNodes: newNodes.length, proposedEdges: newEdges.length };
  }

  _clearProposed() {
    if (this.proposed.edges.length) this.edges.remove(this.proposed.edges);
    if (this.proposed.nodes.length) this.nodes.remove(this.proposed.nodes);
    this.proposed = { nodes: [], edges: [] };
  }

  // --- view ------------------------------------------------------------------------------------

  fit() {
    this.network.fit({ animation: { duration: 300, easingFunction: "easeInOutQuad" } });
  }

  zoom(factor) {
    this.network.moveTo({ scale: this.network.getScale() * factor, animation: { duration: 200, easingFunction: "easeInOutQuad" } });
  }

  /** Frozen: no physics, nodes stay where they are put. Freezing saves the layout. */
  setFrozen(frozen) {
    this.frozen = frozen;
    this.network.setOptions({ physics: { enabled: !frozen } });
    if (frozen) this.savePositions();
    this.handlers.frozenChanged?.(frozen);
  }

  /** Positions of every drawn node of the map, handed to the positionsChanged handler. */
  savePositions() {
    const ids = this.nodes.getIds().filter((id) => this.model?.nodes.has(id));
    const positions = this.network.getPositions(ids);
    this.handlers.positionsChanged?.(positions);
    return positions;
  }

  positionOf(id) {
    return this.network.getPositions([id])[id] ?? null;
  }

  /** The canvas point (relative to the page) where a node is drawn. */
  pagePointOf(id) {
    const p = this.positionOf(id);
    if (!p) return null;
    const dom = this.network.canvasToDOM(p);
    const box = this.container.getBoundingClientRect();
    return { x: box.left + dom.x, y: box.top + dom.y };
  }
}
