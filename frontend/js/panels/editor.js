// Workshop editing: forms to add and edit nodes and edges. The API validates; its problems
// ({message, path: "input.field"}) are shown next to the fields they name.

import { EDGE_KINDS, NODE_KINDS, enumLabel, fieldLabel, nodeKindLabel } from "../kinds.js";
import { h, replace } from "../dom.js";
import { edgeId } from "../model.js";

let uid = 0;

function field(label, control, { help = null } = {}) {
  uid += 1;
  const id = control.id || `f${uid}`;
  control.id = id;
  const error = h("p", { class: "field-error", id: `${id}-error`, hidden: true });
  const helpEl = help ? h("p", { class: "help small", id: `${id}-help` }, help) : null;
  control.setAttribute("aria-describedby", [helpEl ? `${id}-help` : null, `${id}-error`].filter(Boolean).join(" "));
  return h("div", { class: "field", "data-field": control.name }, h("label", { for: id }, label), control, helpEl, error);
}

function input(name, value = "", props = {}) {
  return h("input", { name, value: value ?? "", ...props });
}

function kindField(spec, current) {
  const value = current ?? "";
  if (spec.type === "enum") {
    return h(
      "select",
      { name: spec.name },
      h("option", { value: "" }, "—"),
      spec.values.map((v) => h("option", { value: v, selected: v === value }, enumLabel(v))),
    );
  }
  if (spec.type === "boolean") {
    return h(
      "select",
      { name: spec.name, "data-type": "boolean" },
      h("option", { value: "" }, "—"),
      h("option", { value: "true", selected: current === true }, "yes"),
      h("option", { value: "false", selected: current === false }, "no"),
    );
  }
  if (spec.type === "number") {
    return input(spec.name, current ?? "", { type: "number", min: spec.min, max: spec.max, step: spec.step ?? "any", "data-type": "number", inputmode: "decimal" });
  }
  return input(spec.name, current ?? "", { type: "text" });
}

function attributesText(attrs) {
  return Object.entries(attrs ?? {})
    .map(([k, v]) => `${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)
    .join("\n");
}

function parseAttributes(text) {
  const out = {};
  const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
  for (const line of lines) {
    const at = line.indexOf(":");
    if (at <= 0) throw new Error(`“${line}” is not “key: value”`);
    const key = line.slice(0, at).trim();
    const raw = line.slice(at + 1).trim();
    let value = raw;
    if (raw === "true" || raw === "false") value = raw === "true";
    else if (raw !== "" && Number.isFinite(Number(raw))) value = Number(raw);
    out[key] = value;
  }
  return out;
}

function list(text) {
  return text.split(",").map((t) => t.trim()).filter(Boolean);
}

/** Read the kind-specific controls of a form into `input` (empty means unset). */
function readKindFields(form, specs, out, errors) {
  for (const spec of specs) {
    const control = form.elements.namedItem(spec.name);
    if (!control) continue;
    const raw = control.value.trim();
    if (raw === "") continue;
    if (spec.type === "number") {
      const n = Number(raw);
      if (!Number.isFinite(n)) errors.push({ path: `input.${spec.name}`, message: "not a number" });
      else out[spec.name] = n;
    } else if (spec.type === "boolean") {
      out[spec.name] = raw === "true";
    } else {
      out[spec.name] = raw;
    }
  }
}

export class Editor {
  constructor(root, app) {
    this.root = root;
    this.app = app;
  }

  /** Put problems next to their fields; the rest above the form. */
  showProblems(form, problems, fallback = null) {
    for (const el of form.querySelectorAll(".field-error")) {
      el.hidden = true;
      el.textContent = "";
    }
    for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
    const general = [];
    let first = null;
    for (const p of problems) {
      const name = String(p.path ?? "").replace(/^input\./, "").split(".")[0];
      const control = name ? form.elements.namedItem(name) : null;
      const box = control ? form.querySelector(`#${CSS.escape(control.id)}-error`) : null;
      if (control && box) {
        box.textContent = box.textContent ? `${box.textContent}; ${p.message}` : p.message;
        box.hidden = false;
        control.setAttribute("aria-invalid", "true");
        first ??= control;
      } else {
        general.push(p.path ? `${p.path}: ${p.message}` : p.message);
      }
    }
    if (fallback && !problems.length) general.push(fallback);
    const summary = form.querySelector(".form-errors");
    replace(summary, general.length ? h("ul", null, general.map((g) => h("li", null, g))) : null);
    summary.hidden = !general.length;
    (first ?? (general.length ? summary : null))?.focus?.();
  }

  _sourcesList() {
    const datalist = h("datalist", { id: "source-ids" });
    this.app.sources().then((sources) => {
      replace(datalist, [...sources.values()].map((s) => h("option", { value: s.id }, s.title ?? s.id)));
    }, () => {});
    return datalist;
  }

  /** The node form: `rec` to edit a node, null for a new one. */
  nodeForm(rec = null) {
    const editing = Boolean(rec);
    const kind = h("select", { name: "kind", id: "node-kind" }, Object.keys(NODE_KINDS).map((k) => h("option", { value: k, selected: k === (rec?.kind ?? "AffectedCommunity") }, nodeKindLabel(k))));
    const kindBox = h("fieldset", { class: "kind-fields" });
    const drawKindFields = () => {
      const specs = NODE_KINDS[kind.value].fields;
      replace(kindBox, h("legend", null, `${nodeKindLabel(kind.value)} fields`), specs.map((f) => field(fieldLabel(f.name), kindField(f, rec?.kind === kind.value ? rec[f.name] : null))));
    };
    kind.addEventListener("change", drawKindFields);
    drawKindFields();
    const form = h(
      "form",
      { id: "node-form", class: "edit-form", novalidate: true, "aria-labelledby": "node-form-title" },
      h("h3", { id: "node-form-title" }, editing ? `Edit node “${rec.name}”` : "New node"),
      h("div", { class: "form-errors", role: "alert", tabindex: "-1", hidden: true }),
      field("Kind", kind),
      field("Name", input("name", rec?.name, { type: "text", id: "node-name", required: true, autocomplete: "off" })),
      field("Id", input("id", rec?.id, { type: "text", id: "node-id", readonly: editing, autocomplete: "off", spellcheck: "false", placeholder: "made from the name" }), {
        help: editing ? "Ids cannot change." : "Lowercase letters, digits, '.', '_' and '-'. Leave empty to derive it from the name.",
      }),
      field("Description", h("textarea", { name: "description", rows: 3 }, rec?.description ?? "")),
      kindBox,
      field("Tags", input("tags", (rec?.tags ?? []).join(", "), { type: "text" }), { help: "Comma-separated." }),
      field("Sources", input("sources", (rec?.sources ?? []).join(", "), { type: "text", list: "source-ids" }), { help: "Comma-separated source ids of this map." }),
      field("Attributes", h("textarea", { name: "attributes", rows: 2, placeholder: "key: value" }, attributesText(rec?.attributes)), { help: "One “key: value” per line." }),
      this._sourcesList(),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "primary" }, editing ? "Save node" : "Add node"),
        h("button", { type: "button", onclick: () => this.show() }, "Cancel"),
      ),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this._saveNode(form, rec);
    });
    return form;
  }

  async _saveNode(form, rec) {
    const el = form.elements;
    const errors = [];
    const name = el.namedItem("name").value.trim();
    const id = el.namedItem("id").value.trim() || (name ? this.app.model.freshNodeId(name) : "");
    const kind = el.namedItem("kind").value;
    const input = { id, kind, name, tags: list(el.namedItem("tags").value), sources: list(el.namedItem("sources").value) };
    const description = el.namedItem("description").value.trim();
    if (description) input.description = description;
    try {
      input.attributes = parseAttributes(el.namedItem("attributes").value);
    } catch (error) {
      errors.push({ path: "input.attributes", message: error.message });
    }
    readKindFields(form, NODE_KINDS[kind].fields, input, errors);
    if (!rec && this.app.model.nodes.has(id)) errors.push({ path: "input.id", message: `a node with id '${id}' exists already` });
    if (errors.length) return this.showProblems(form, errors);
    try {
      await this.app.editing.perform(rec ? `edit node ${name}` : `add node ${name}`, [{ op: "upsertNode", input }]);
    } catch (error) {
      return this.showProblems(form, error.problems ?? [], error.message);
    }
    this.app.selectNode(id, { focus: true });
    this.show();
  }

  /** The edge form: `rec` to edit an edge; `from` preselects the start of a new one. */
  edgeForm(rec = null, { from = null } = {}) {
    const editing = Boolean(rec);
    const model = this.app.model;
    const startKind = model.nodes.get(from)?.kind;
    const firstKind = rec?.kind ?? Object.keys(EDGE_KINDS).find((k) => !startKind || EDGE_KINDS[k].from.includes(startKind)) ?? "AFFECTS";
    const kind = h("select", { name: "kind", id: "edge-kind" }, Object.keys(EDGE_KINDS).map((k) => h("option", { value: k, selected: k === firstKind }, enumLabel(k))));
    const fromSel = h("select", { name: "from", id: "edge-from" });
    const toSel = h("select", { name: "to", id: "edge-to" });
    const kindBox = h("fieldset", { class: "kind-fields" });
    const nodes = [...model.nodes.values()].sort((a, b) => a.name.localeCompare(b.name));
    let chosen = { from: rec?.fromId ?? from ?? "", to: rec?.toId ?? "" };
    const options = (allowed, selected) => [
      h("option", { value: "" }, "Choose…"),
      nodes.filter((n) => allowed.includes(n.kind)).map((n) => h("option", { value: n.id, selected: n.id === selected }, `${n.name} (${nodeKindLabel(n.kind)})`)),
    ];
    const redraw = () => {
      const spec = EDGE_KINDS[kind.value];
      replace(fromSel, options(spec.from, chosen.from));
      replace(toSel, options(spec.to, chosen.to));
      replace(
        kindBox,
        h("legend", null, spec.fields.length ? `${enumLabel(kind.value)} fields` : `${enumLabel(kind.value)} has no fields of its own`),
        spec.fields.map((f) => field(fieldLabel(f.name), kindField(f, rec?.kind === kind.value ? rec[f.name] : null))),
      );
    };
    kind.addEventListener("change", () => {
      chosen = { from: fromSel.value || chosen.from, to: toSel.value || chosen.to };
      redraw();
    });
    redraw();
    const form = h(
      "form",
      { id: "edge-form", class: "edit-form", novalidate: true, "aria-labelledby": "edge-form-title" },
      h("h3", { id: "edge-form-title" }, editing ? "Edit edge" : "New edge"),
      h("div", { class: "form-errors", role: "alert", tabindex: "-1", hidden: true }),
      field("Kind", kind, { help: "The start and end lists only offer nodes this kind of edge allows." }),
      field("From", fromSel),
      field("To", toSel),
      kindBox,
      field("Description", h("textarea", { name: "description", rows: 2 }, rec?.description ?? "")),
      field("Sources", input("sources", (rec?.sources ?? []).join(", "), { type: "text", list: "source-ids" }), { help: "Comma-separated source ids of this map." }),
      field("Attributes", h("textarea", { name: "attributes", rows: 2, placeholder: "key: value" }, attributesText(rec?.attributes)), { help: "One “key: value” per line." }),
      this._sourcesList(),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "primary" }, editing ? "Save edge" : "Add edge"),
        h("button", { type: "button", onclick: () => this.show() }, "Cancel"),
      ),
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this._saveEdge(form, rec);
    });
    return form;
  }

  async _saveEdge(form, rec) {
    const el = form.elements;
    const errors = [];
    const kind = el.namedItem("kind").value;
    const input = { kind, from: el.namedItem("from").value, to: el.namedItem("to").value, sources: list(el.namedItem("sources").value) };
    if (!input.from) errors.push({ path: "input.from", message: "choose the node the edge starts at" });
    if (!input.to) errors.push({ path: "input.to", message: "choose the node the edge ends at" });
    const description = el.namedItem("description").value.trim();
    if (description) input.description = description;
    try {
      input.attributes = parseAttributes(el.namedItem("attributes").value);
    } catch (error) {
      errors.push({ path: "input.attributes", message: error.message });
    }
    readKindFields(form, EDGE_KINDS[kind].fields, input, errors);
    const sameEnds = rec && rec.kind === kind && rec.fromId === input.from && rec.toId === input.to;
    if (sameEnds) input.id = rec.id;
    const id = edgeId(input);
    if (!sameEnds && this.app.model.edges.has(id)) errors.push({ path: "input.to", message: `there is already a ${enumLabel(kind)} edge between these nodes` });
    if (errors.length) return this.showProblems(form, errors);
    // A changed kind or end is a different edge: add the new one first, so a rejected edit
    // leaves the old edge in place.
    const ops = [{ op: "upsertEdge", input }];
    if (rec && !sameEnds) ops.push({ op: "deleteEdge", id: rec.id });
    const names = `${this.app.model.name(input.from)} → ${this.app.model.name(input.to)}`;
    try {
      await this.app.editing.perform(rec ? `edit edge ${names}` : `add edge ${names}`, ops);
    } catch (error) {
      return this.showProblems(form, error.problems ?? [], error.message);
    }
    this.app.selectEdge(id);
    this.show();
  }

  /** The editing tab: buttons for new things, and the form in use. */
  show(form = null) {
    const current = form ?? this.nodeForm();
    replace(
      this.root,
      h(
        "div",
        { class: "actions editor-switch" },
        h("button", { type: "button", id: "new-node", onclick: () => this.show(this.nodeForm()) }, "New node"),
        h("button", { type: "button", id: "new-edge", onclick: () => this.show(this.edgeForm(null, { from: this.app.selectedNode })) }, "New edge"),
      ),
      current,
    );
    return current;
  }
}
