// The impact-path finder: pick two nodes, list the simple paths of power and impact between
// them (the API's impactPaths), and highlight one on the graph.

import { enumLabel } from "../kinds.js";
import { h, replace } from "../dom.js";
import { impactPaths } from "../queries.js";

function nodeOptions(model, selected) {
  const nodes = [...model.nodes.values()].sort((a, b) => a.name.localeCompare(b.name));
  return [
    h("option", { value: "" }, "Choose a node…"),
    nodes.map((n) => h("option", { value: n.id, selected: n.id === selected }, `${n.name} (${n.id})`)),
  ];
}

export class ImpactFinder {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.from = "";
    this.to = "";
    this.paths = [];
    this.active = -1;
  }

  setFrom(id) {
    this.from = id;
    this.paths = [];
    this.render();
  }

  render() {
    const model = this.app.model;
    if (!model) return;
    const from = h("select", { id: "impact-from", name: "from" }, nodeOptions(model, this.from));
    const to = h("select", { id: "impact-to", name: "to" }, nodeOptions(model, this.to));
    const depth = h("input", { id: "impact-depth", type: "number", min: 1, max: 10, value: 6, name: "maxDepth" });
    const results = h("div", { class: "impact-results", "aria-live": "polite" });
    const form = h(
      "form",
      {
        class: "impact-form",
        novalidate: true,
        onsubmit: async (ev) => {
          ev.preventDefault();
          this.from = from.value;
          this.to = to.value;
          if (!this.from || !this.to) {
            replace(results, h("p", { class: "error" }, "Choose both nodes."));
            return;
          }
          replace(results, h("p", { class: "muted" }, "Searching…"));
          try {
            this.paths = await impactPaths(model.id, this.from, this.to, Number(depth.value) || 6);
            this.active = -1;
            this._results(results);
          } catch (error) {
            replace(results, h("p", { class: "error" }, error.message));
          }
        },
      },
      h("p", { class: "help" }, "Simple directed paths along develops, deploys, operates, affects, employs, funds, incentivizes and oversees edges, shortest first."),
      h("div", { class: "field" }, h("label", { for: "impact-from" }, "From"), from),
      h("div", { class: "field" }, h("label", { for: "impact-to" }, "To"), to),
      h("div", { class: "field" }, h("label", { for: "impact-depth" }, "Longest path (edges)"), depth),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "submit", class: "primary" }, "Find paths"),
        h("button", {
          type: "button",
          onclick: () => {
            [from.value, to.value] = [to.value, from.value];
          },
        }, "Swap"),
        h("button", {
          type: "button",
          title: "Use the node selected on the graph as the start",
          onclick: () => {
            if (this.app.selectedNode) from.value = this.app.selectedNode;
          },
        }, "From selection"),
      ),
    );
    replace(this.root, form, results);
    if (this.paths.length) this._results(results);
  }

  _results(box) {
    const model = this.app.model;
    if (!this.paths.length) {
      replace(box, h("p", { class: "muted" }, `No impact path from ${model.name(this.from)} to ${model.name(this.to)}.`));
      return;
    }
    replace(
      box,
      h("p", null, `${this.paths.length} path${this.paths.length === 1 ? "" : "s"}:`),
      h(
        "ol",
        { class: "finding-list" },
        this.paths.map((p, i) =>
          h(
            "li",
            null,
            h(
              "button",
              {
                type: "button",
                class: "finding",
                "aria-pressed": i === this.active ? "true" : "false",
                "data-key": `impact:${i}`,
                onclick: (ev) => {
                  this.active = i;
                  for (const b of box.querySelectorAll("button.finding")) b.setAttribute("aria-pressed", "false");
                  ev.currentTarget.setAttribute("aria-pressed", "true");
                  this.app.highlight({ nodes: p.nodes, edges: p.edges }, `impact path ${i + 1}`);
                },
              },
              p.nodes.map((id, k) => (k === 0 ? model.name(id) : ` —${enumLabel(p.kinds[k - 1])}→ ${model.name(id)}`)).join(""),
            ),
          ),
        ),
      ),
    );
  }
}
