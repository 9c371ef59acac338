// The explorer: opens a map, keeps the graph, the panels and the model in step, and runs edits
// through the undo history. `window.graphsvcExplorer` is this object (browser tests read it).

import { api } from "./api.js";
import { setRole, setupAuth } from "./auth.js";
import { $, $$, announce, h, replace, toast } from "./dom.js";
import { Editing } from "./editing.js";
import { describe, focusOf, focusSet, SECTIONS } from "./findings.js";
import { FOCUS_SIZE, GraphView, LARGE_MAP } from "./graph.js";
import { nodeKindLabel } from "./kinds.js";
import { Legend } from "./legend.js";
import { MapModel } from "./model.js";
import { AnalysesPanel } from "./panels/analyses.js";
import { renderEdge, renderNode, renderOverview } from "./panels/details.js";
import { Editor } from "./panels/editor.js";
import { WhatIfPanel } from "./panels/whatif.js";
import * as q from "./queries.js";
import { Search, focusSearch } from "./search.js";
import { forgetPositions, loadPositions, savePositions } from "./state.js";
import { Tabs } from "./tabs.js";

function mapFromHash() {
  const params = new URLSearchParams(window.location.hash.slice(1));
  return params.get("map");
}

class Explorer {
  constructor() {
    this.model = null;
    this.analysis = null;
    this.maps = [];
    this.selectedNode = null;
    this.selectedEdge = null;
    this.activeKey = null;
    this.editing = new Editing(this);
    this.pending = 0;
    this.authRequired = false;
    setRole(this, "editor");
    this.graph = new GraphView($("#graph"), {
      selectNode: (id) => this.selectNode(id),
      selectEdge: (id) => this.selectEdge(id),
      deselect: () => this.deselect(),
      doubleClickNode: (id) => this.expand(id),
      positionsChanged: (positions) => this.model && savePositions(this.model.id, positions),
      frozenChanged: (frozen) => {
        const b = $("#freeze");
        b.setAttribute("aria-pressed", frozen ? "true" : "false");
      },
    });
    this.legend = new Legend({
      onChange: (filters) => {
        this.graph.setFilters(filters);
        this.status();
      },
      onEdgeLabels: (on) => this.graph.setEdgeLabels(on),
    });
    this.search = new Search({ input: $("#search"), list: $("#search-results"), onPick: (id) => this.selectNode(id, { focus: true }) });
    this.panelTabs = new Tabs($("#panel-tabs"));
    this.details = $("#pane-details");
    this.analysesPanel = new AnalysesPanel($("#pane-analyses"), this);
    this.whatif = new WhatIfPanel($("#pane-whatif"), this);
    this.editor = new Editor($("#pane-edit"), this);
    this._wire();
    setupAuth(this);
  }

  /** "viewer" hides every edit control; "editor" and "admin" show them. */
  setRole(role) {
    setRole(this, role);
    if (!this.canEdit && this.panelTabs.current === "tab-edit") this.showTab("details");
  }

  // --- plumbing ----------------------------------------------------------------------------------

  _setState(state) {
    document.body.dataset.state = state;
  }

  async busy(promise) {
    this.pending += 1;
    document.body.dataset.busy = "true";
    try {
      return await promise;
    } finally {
      this.pending -= 1;
      if (!this.pending) document.body.dataset.busy = "false";
    }
  }

  _wire() {
    $("#map-picker").addEventListener("change", (ev) => {
      window.location.hash = `map=${encodeURIComponent(ev.target.value)}`;
    });
    window.addEventListener("hashchange", () => {
      const id = mapFromHash();
      if (id && id !== this.model?.id) this.openMap(id);
    });
    $("#fit").addEventListener("click", () => this.graph.fit());
    $("#zoom-in").addEventListener("click", () => this.graph.zoom(1.25));
    $("#zoom-out").addEventListener("click", () => this.graph.zoom(0.8));
    $("#freeze").addEventListener("click", () => this.graph.setFrozen(!this.graph.frozen));
    $("#reset-layout").addEventListener("click", () => this.resetLayout());
    $("#undo").addEventListener("click", () => this.editing.undo());
    $("#redo").addEventListener("click", () => this.editing.redo());
    $("#clear-highlight").addEventListener("click", () => this.clearHighlight());
    for (const b of $$("[data-export]")) b.addEventListener("click", () => this.exportAs(b.dataset.export));
    document.addEventListener("keydown", (ev) => this._key(ev));
  }

  _key(ev) {
    const t = ev.target;
    const typing = t instanceof HTMLElement && (t.matches("input, textarea, select") || t.isContentEditable);
    const mod = ev.ctrlKey || ev.metaKey;
    if (mod && !typing && ev.key.toLowerCase() === "z") {
      ev.preventDefault();
      if (ev.shiftKey) this.editing.redo();
      else this.editing.undo();
    } else if (mod && !typing && ev.key.toLowerCase() === "y") {
      ev.preventDefault();
      this.editing.redo();
    } else if (typing || mod || ev.altKey) {
      return;
    } else if (ev.key === "/") {
      ev.preventDefault();
      focusSearch();
    } else if (ev.key === "Escape") {
      this.clearHighlight();
    } else if (ev.key === "f" && t === document.body) {
      this.graph.fit();
    }
  }

  // --- maps ----------------------------------------------------------------------------------------

  async boot() {
    // A newer boot (signing in while the last one still waits) supersedes this one: a late
    // answer of the old boot must not overwrite the new state.
    this.bootGeneration = (this.bootGeneration || 0) + 1;
    const gen = this.bootGeneration;
    this._setState("loading");
    if (!window.vis) {
      replace($("#graph"), h("p", { class: "error" }, "The graph library did not load (/static/vendor/vis-network.min.js)."));
      this._setState("error");
      return;
    }
    try {
      this.maps = await this.busy(q.listMaps());
    } catch (error) {
      if (gen === this.bootGeneration) this._fail(error);
      return;
    }
    if (gen !== this.bootGeneration) return;
    const picker = $("#map-picker");
    replace(picker, this.maps.map((m) => h("option", { value: m.id }, m.title ? `${m.title} (${m.id})` : m.id)));
    if (!this.maps.length) {
      replace(this.details, h("h2", null, "No maps yet"), h("p", null, "Import one with `graphsvc import FILE` or the importMap mutation, or start the server with --demo."));
      this._setState("ready");
      return;
    }
    const wanted = mapFromHash();
    await this.openMap(this.maps.some((m) => m.id === wanted) ? wanted : this.maps[0].id);
  }

  reload() {
    this.model = null;
    return this.boot();
  }

  _fail(error) {
    this._setState("error");
    toast(error.message, { error: true });
    replace(this.details, h("h2", null, "Something went wrong"), h("p", { class: "error" }, error.message));
  }

  async openMap(mapId) {
    const gen = this.bootGeneration;
    this._setState("loading");
    $("#map-picker").value = mapId;
    let data;
    let analysis = null;
    try {
      [data, analysis] = await this.busy(
        Promise.all([
          q.loadMap(mapId),
          q.loadAnalysis(mapId).catch((error) => {
            toast(`Analyses unavailable: ${error.message}`, { error: true });
            return null;
          }),
        ]),
      );
    } catch (error) {
      if (gen === this.bootGeneration) this._fail(error);
      return;
    }
    if (gen !== this.bootGeneration) return;
    this.model = new MapModel(data);
    this.analysis = analysis;
    this.selectedNode = null;
    this.selectedEdge = null;
    this.activeKey = null;
    this.editing.useMap(mapId);
    document.title = `${data.info.title || mapId} — graphsvc explorer`;
    if (!window.location.hash.includes(`map=${encodeURIComponent(mapId)}`)) {
      window.history.replaceState(null, "", `#map=${encodeURIComponent(mapId)}`);
    }
    this.legend.render(this.model);
    this.search.setModel(this.model);
    await this.graph.setModel(this.model, { positions: loadPositions(mapId), focus: focusSet(this.model, this.analysis, { above: LARGE_MAP, size: FOCUS_SIZE }) });
    this._notice();
    this.status();
    renderOverview(this.details, this);
    this._renderAnalyses();
    this.editor.show();
    this._setState("ready");
    announce(`Opened ${data.info.title || mapId}: ${this.model.nodes.size} nodes, ${this.model.edges.size} edges.`);
  }

  _notice() {
    const box = $("#notice");
    const hidden = this.graph.hiddenByFocus();
    if (!this.model.nodes.size) {
      replace(box, h("strong", null, "This map has no nodes yet."), this.canEdit ? " Add the first one in the Edit tab." : null);
      box.hidden = false;
      return;
    }
    if (!hidden.total) {
      box.hidden = true;
      return;
    }
    const kinds = Object.entries(hidden.byKind)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${n} ${nodeKindLabel(k)}`)
      .join(", ");
    replace(
      box,
      h("strong", null, `Large map: ${this.model.nodes.size - hidden.total} of ${this.model.nodes.size} nodes drawn`),
      ` — those in findings and their neighbours. Not drawn: ${kinds}. Double-click a node to draw its neighbours; search finds any node. `,
      h("button", { type: "button", id: "show-all", onclick: () => this.showAll() }, `Draw all ${this.model.nodes.size} nodes`),
    );
    box.hidden = false;
  }

  showAll() {
    this.graph.revealAll();
    this._notice();
    this.status();
  }

  status() {
    if (!this.model) return;
    const nodes = this.graph.drawnNodeIds().length;
    const edges = this.graph.drawnEdgeIds().length;
    const marked = this.graph.highlighted();
    const parts = [`${nodes} of ${this.model.nodes.size} nodes and ${edges} of ${this.model.edges.size} edges shown`];
    if (this.highlightLabel && (marked.nodes.length || marked.edges.length)) {
      parts.push(`highlighted: ${this.highlightLabel} (${marked.nodes.length} nodes, ${marked.edges.length} edges)`);
    }
    $("#graph-status-text").textContent = parts.join(" · ");
    $("#clear-highlight").hidden = !(marked.nodes.length || marked.edges.length || this.graph.proposed.nodes.length);
    $("#graph").setAttribute("aria-label", `Graph of ${this.model.info.title || this.model.id}: ${parts.join("; ")}. Use the search, the analyses and the details panel to explore it.`);
  }

  _renderAnalyses() {
    if (this.analysis) {
      this.analysesPanel.render(this.analysis);
      this.whatif.render(this.analysis);
    } else {
      replace($("#pane-analyses"), h("p", { class: "error" }, "Analyses are unavailable for this map."));
      replace($("#pane-whatif"), h("p", { class: "muted" }, "No analysis, so no recommendations."));
    }
  }

  async refreshAnalysis() {
    const id = this.model.id;
    const version = this.model.version;
    try {
      const analysis = await this.busy(q.loadAnalysis(id));
      if (this.model?.id !== id || this.model.version !== version) return;
      this.analysis = analysis;
      if (this.activeKey && !this._findingByKey(this.activeKey)) this.clearHighlight();
      this._renderAnalyses();
    } catch (error) {
      toast(`Analyses unavailable: ${error.message}`, { error: true });
    }
  }

  _findingByKey(key) {
    for (const [section] of [["contestPairs"], ...SECTIONS]) {
      const entry = (this.analysis?.[section] ?? []).find((e) => e.key === key);
      if (entry) return { section, entry };
    }
    return null;
  }

  /** The map's sources by id (a promise, so a panel never waits on how they arrive). */
  sources() {
    return Promise.resolve(this.model?.sources ?? new Map());
  }

  // --- selection and highlight ------------------------------------------------------------------

  showTab(name) {
    this.panelTabs.select(`tab-${name}`);
  }

  selectNode(id, { focus = false } = {}) {
    if (!this.model?.nodes.has(id)) return;
    this.selectedNode = id;
    this.selectedEdge = null;
    if (focus) this.graph.focusNode(id);
    else this.graph.network.selectNodes([id]);
    renderNode(this.details, this, id);
    this.showTab("details");
    announce(`Selected ${this.model.name(id)}, ${nodeKindLabel(this.model.nodes.get(id).kind)}.`);
  }

  selectEdge(id) {
    if (!this.model?.edges.has(id)) return;
    this.selectedEdge = id;
    this.selectedNode = null;
    this.graph.selectEdge(id);
    renderEdge(this.details, this, id);
    this.showTab("details");
  }

  deselect() {
    this.selectedNode = null;
    this.selectedEdge = null;
    renderOverview(this.details, this);
  }

  /** Double-click: draw a node's neighbours (large maps) and highlight its neighbourhood. */
  async expand(id) {
    try {
      const hood = await this.busy(q.neighborhood(this.model.id, id, 1));
      const added = this.graph.reveal(hood.nodes, id);
      this.highlight(hood, `neighbourhood of ${this.model.name(id)}`, { fit: added.length > 0 });
      this._notice();
      this.status();
    } catch (error) {
      toast(error.message, { error: true });
    }
  }

  _markButtons() {
    for (const b of $$("button.finding[data-key]")) b.setAttribute("aria-pressed", b.dataset.key === this.activeKey ? "true" : "false");
    for (const p of $$("circle.point[data-key]")) p.classList.toggle("active", p.dataset.key === this.activeKey);
  }

  highlight(focus, label, { fit = true } = {}) {
    this.highlightLabel = label;
    this.graph.highlight(focus, { fit });
    this.status();
    announce(`Highlighted ${label}.`);
  }

  highlightFinding(section, entry) {
    if (this.activeKey === entry.key) {
      this.clearHighlight();
      return;
    }
    this.activeKey = entry.key;
    this.highlight(focusOf(section, entry, this.model, this.analysis), describe(section, entry, this.model));
    this._markButtons();
    if (section === "powerAsymmetry") this.analysesPanel.render(this.analysis); // show its reasons
  }

  clearHighlight() {
    const wasPower = this.activeKey?.startsWith("power:");
    this.activeKey = null;
    this.highlightLabel = null;
    this.graph.clearHighlight();
    this._markButtons();
    if (wasPower && this.analysis) this.analysesPanel.render(this.analysis);
    this.status();
  }

  previewChanges(changes, title) {
    this.activeKey = null;
    this._markButtons();
    const shown = this.graph.preview(changes);
    this.highlightLabel = `simulation of “${title}”`;
    this.status();
    return shown;
  }

  // --- edits (run by ./editing.js) -----------------------------------------------------------------

  /** Draw what an edit changed, and refresh what depends on it. */
  drawChanges(changed) {
    const m = this.model;
    for (const id of changed.removedEdges ?? []) this.graph.removeEdge(id);
    for (const id of changed.removedNodes ?? []) this.graph.removeNode(id);
    for (const id of changed.nodes ?? []) if (m.nodes.has(id)) this.graph.putNode(m.nodes.get(id));
    for (const id of changed.edges ?? []) if (m.edges.has(id)) this.graph.putEdge(m.edges.get(id));
    this.legend.render(m);
    this._notice();
    if (this.selectedNode && !m.nodes.has(this.selectedNode)) this.deselect();
    else if (this.selectedEdge && !m.edges.has(this.selectedEdge)) this.deselect();
    else if (this.selectedNode) renderNode(this.details, this, this.selectedNode);
    else if (this.selectedEdge) renderEdge(this.details, this, this.selectedEdge);
    else renderOverview(this.details, this);
    this.status();
    this.refreshAnalysis();
  }

  _editTab(form) {
    this.showTab("edit");
    this.editor.show(form);
    form.querySelector("input:not([readonly]), select, textarea")?.focus();
  }

  editNode(id) {
    this._editTab(this.editor.nodeForm(this.model.nodes.get(id)));
  }

  editEdge(id) {
    this._editTab(this.editor.edgeForm(this.model.edges.get(id)));
  }

  newEdge({ from = null } = {}) {
    this._editTab(this.editor.edgeForm(null, { from }));
  }

  impactFrom(id) {
    this.showTab("analyses");
    this.analysesPanel.showImpactFrom(id);
  }

  resetLayout() {
    if (!this.model) return;
    forgetPositions(this.model.id);
    this.busy(this.graph.relayout());
  }

  async exportAs(format) {
    if (!this.model) return;
    const id = encodeURIComponent(this.model.id);
    const path = format === "html" ? `/api/maps/${id}/report.html` : `/api/maps/${id}/export?format=${format}`;
    try {
      const { blob, filename } = await this.busy(api.download(path));
      const url = URL.createObjectURL(blob);
      const a = h("a", { href: url, download: filename ?? `${this.model.id}.${format}`, hidden: true });
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      toast(`Export failed: ${error.message}`, { error: true });
    }
  }
}

const explorer = new Explorer();
window.graphsvcExplorer = explorer;
explorer.boot();
