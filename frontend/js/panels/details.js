// The details panel: the map overview when nothing is selected; for a node every field, its
// sources as links, its incoming and outgoing edges and the findings about it; for an edge
// its fields and both ends. Edit and delete buttons carry data-requires="edit".

import { EDGE_KINDS, NODE_KINDS, enumLabel, fieldLabel, nodeKindLabel } from "../kinds.js";
import { describe, mentions, SECTIONS } from "../findings.js";
import { formatNumber, h, replace, safeUrl } from "../dom.js";

function value(field, v) {
  if (v === null || v === undefined) return null;
  if (field?.type === "enum") return enumLabel(v);
  if (field?.type === "boolean") return v ? "yes" : "no";
  if (typeof v === "number") return formatNumber(v, 4);
  return String(v);
}

function fieldsTable(rows) {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (!shown.length) return null;
  return h(
    "dl",
    { class: "fields" },
    shown.map(([k, v]) => [h("dt", null, k), h("dd", null, v)]),
  );
}

function attributes(record) {
  const entries = Object.entries(record.attributes ?? {});
  return entries.map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]);
}

function sourcesList(app, ids) {
  if (!ids?.length) return null;
  const list = h("ul", { class: "sources" }, ids.map((id) => h("li", { "data-source": id }, id)));
  app.sources().then((sources) => {
    for (const li of list.querySelectorAll("li")) {
      const src = sources.get(li.dataset.source);
      if (!src) continue;
      const url = safeUrl(src.url ?? "");
      const title = src.title || li.dataset.source;
      const meta = [src.publisher, src.date].filter(Boolean).join(", ");
      replace(
        li,
        url ? h("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, title) : h("span", null, title),
        meta ? h("span", { class: "muted" }, ` — ${meta}`) : null,
      );
    }
  }, () => {});
  return [h("h3", null, "Sources"), list];
}

function edgeList(app, title, edges, direction) {
  if (!edges.length) return [h("h3", null, title), h("p", { class: "muted" }, "None.")];
  return [
    h("h3", null, `${title} (${edges.length})`),
    h(
      "ul",
      { class: "edge-list" },
      edges.map((e) => {
        const other = direction === "out" ? e.toId : e.fromId;
        return h(
          "li",
          null,
          h("button", { type: "button", class: "link", title: "Show this edge", onclick: () => app.selectEdge(e.id) }, enumLabel(e.kind)),
          " ",
          direction === "out" ? "→ " : "← ",
          h("button", { type: "button", class: "link", onclick: () => app.selectNode(other, { focus: true }) }, app.model.name(other)),
        );
      }),
    ),
  ];
}

function findingsAbout(app, id) {
  const analysis = app.analysis;
  if (!analysis) return null;
  const items = [];
  for (const [section] of [["contestPairs"], ...SECTIONS]) {
    for (const entry of analysis[section] ?? []) {
      if (!mentions(section, entry).includes(id)) continue;
      items.push(
        h(
          "li",
          null,
          h(
            "button",
            { type: "button", class: "finding", "data-key": entry.key, onclick: () => app.highlightFinding(section, entry) },
            describe(section, entry, app.model),
          ),
        ),
      );
    }
  }
  if (!items.length) return null;
  return [h("h3", null, `Findings involving this node (${items.length})`), h("ul", { class: "finding-list" }, items)];
}

function confirmButton(label, confirmLabel, action) {
  const button = h("button", { type: "button", class: "danger", "data-requires": "edit" }, label);
  let armed = false;
  button.addEventListener("click", () => {
    if (!armed) {
      armed = true;
      button.textContent = confirmLabel;
      button.classList.add("armed");
      setTimeout(() => {
        armed = false;
        button.textContent = label;
        button.classList.remove("armed");
      }, 4000);
      return;
    }
    action();
  });
  button.addEventListener("blur", () => {
    if (armed) {
      armed = false;
      button.textContent = label;
      button.classList.remove("armed");
    }
  });
  return button;
}

export function renderOverview(root, app) {
  const m = app.model;
  if (!m) {
    replace(root, h("p", { class: "muted" }, "No map open."));
    return;
  }
  replace(
    root,
    h("h2", null, m.info.title || m.id),
    h("p", { class: "muted" }, `Map ${m.id} · version ${m.version} · ${m.nodes.size} nodes · ${m.edges.size} edges`),
    m.info.description ? h("p", { class: "description" }, m.info.description) : null,
    m.info.tags?.length ? h("p", { class: "tags" }, m.info.tags.map((t) => h("span", { class: "tag" }, t))) : null,
    h("h3", null, "Getting around"),
    h(
      "ul",
      { class: "hints" },
      h("li", null, "Click a node or edge for its details; double-click a node to expand its neighbourhood."),
      h("li", null, "Search with / ; undo with Ctrl+Z, redo with Ctrl+Shift+Z."),
      h("li", null, "Drag nodes to arrange them: positions are kept for this map in this browser."),
      h("li", null, "The Analyses tab lists findings; clicking one highlights it on the graph."),
    ),
  );
}

export function renderNode(root, app, id) {
  const rec = app.model.nodes.get(id);
  if (!rec) return renderOverview(root, app);
  const spec = NODE_KINDS[rec.kind];
  const { incoming, outgoing } = app.model.edgesOf(id);
  replace(
    root,
    h("p", { class: "kind-badge", "data-kind": rec.kind }, nodeKindLabel(rec.kind)),
    h("h2", { id: "details-title" }, rec.name),
    h("p", { class: "muted" }, `id ${rec.id}`),
    rec.description ? h("p", { class: "description" }, rec.description) : null,
    fieldsTable([
      ...(spec?.fields ?? []).map((f) => [fieldLabel(f.name), value(f, rec[f.name])]),
      ["Tags", rec.tags?.length ? rec.tags.join(", ") : null],
      ...attributes(rec),
    ]),
    sourcesList(app, rec.sources),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", "data-requires": "edit", onclick: () => app.editNode(id) }, "Edit node"),
      h("button", { type: "button", "data-requires": "edit", onclick: () => app.newEdge({ from: id }) }, "Add edge from here"),
      h("button", { type: "button", onclick: () => app.impactFrom(id) }, "Impact paths from here"),
      confirmButton("Delete node", "Confirm delete", () => app.editing.deleteNode(id)),
    ),
    edgeList(app, "Outgoing edges", outgoing, "out"),
    edgeList(app, "Incoming edges", incoming, "in"),
    findingsAbout(app, id),
  );
}

export function renderEdge(root, app, id) {
  const rec = app.model.edges.get(id);
  if (!rec) return renderOverview(root, app);
  const spec = EDGE_KINDS[rec.kind];
  replace(
    root,
    h("p", { class: "kind-badge edge" }, "Edge"),
    h("h2", { id: "details-title" }, enumLabel(rec.kind)),
    h("p", { class: "muted" }, `id ${rec.id}`),
    h(
      "p",
      { class: "endpoints" },
      h("button", { type: "button", class: "link", onclick: () => app.selectNode(rec.fromId, { focus: true }) }, app.model.name(rec.fromId)),
      " → ",
      h("button", { type: "button", class: "link", onclick: () => app.selectNode(rec.toId, { focus: true }) }, app.model.name(rec.toId)),
    ),
    rec.description ? h("p", { class: "description" }, rec.description) : null,
    fieldsTable([...(spec?.fields ?? []).map((f) => [fieldLabel(f.name), value(f, rec[f.name])]), ...attributes(rec)]),
    sourcesList(app, rec.sources),
    h(
      "div",
      { class: "actions" },
      h("button", { type: "button", "data-requires": "edit", onclick: () => app.editEdge(id) }, "Edit edge"),
      confirmButton("Delete edge", "Confirm delete", () => app.editing.deleteEdge(id)),
    ),
  );
}
