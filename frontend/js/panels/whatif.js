// What-if: every recommendation with "Simulate" (runs its change set as a scenario: nothing is
// stored) and "Apply" (stores it as edits, undoable; editors only). A simulation lists the
// findings it resolves, introduces and changes, and shows the change set on the graph.

import { describeChange, sectionOfKey } from "../findings.js";
import { appendPaged, formatNumber, h, replace } from "../dom.js";
import { runScenario } from "../queries.js";

function scalarDiffs(before, after) {
  if (!before || !after) return [];
  const out = [];
  for (const [k, v] of Object.entries(after)) {
    if (k === "key") continue;
    const old = before[k];
    const scalar = (x) => x === null || ["number", "string", "boolean"].includes(typeof x);
    if (scalar(v) && scalar(old) && old !== v) out.push(`${k}: ${formatNumber(old, 3)} → ${formatNumber(v, 3)}`);
  }
  return out;
}

export class WhatIfPanel {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.simulated = null; // key of the recommendation simulated
  }

  render(analysis) {
    const recs = analysis?.recommendations ?? [];
    this.result = h("section", { id: "scenario-result", class: "scenario-result", "aria-live": "polite", "aria-label": "Simulation result" });
    replace(
      this.root,
      h("p", { class: "help" }, "Each recommendation is a change set that would fix a finding. Simulate runs it on a copy of the map (nothing is stored) and shows what it resolves; Apply stores it, and can be undone."),
      recs.length ? this._list(recs) : h("p", { class: "muted empty" }, "No recommendations: no finding has a known fix."),
    );
  }

  _list(recs) {
    const ol = h("ol", { class: "recommendations" });
    const more = appendPaged(
      ol,
      recs,
      (r) =>
        h(
          "li",
          { class: "recommendation", "data-key": r.key },
          h("h3", null, r.title),
          h("p", null, r.rationale),
          h("p", { class: "muted small" }, `Expected to resolve: ${r.resolves.map((k) => describeChange({ key: k, section: sectionOfKey(k), before: this._entry(k) }, this.app.model)).join("; ")}`),
          h(
            "div",
            { class: "actions" },
            h("button", { type: "button", class: "primary", "data-action": "simulate", onclick: () => this.simulate(r) }, "Simulate"),
            h("button", { type: "button", "data-requires": "edit", "data-action": "apply", onclick: () => this.app.editing.applyRecommendation(r) }, "Apply"),
          ),
        ),
      { page: 50, noun: "more recommendations" },
    );
    return [ol, more];
  }

  /** The current report's entry for a finding key (to describe it with names). */
  _entry(key) {
    const section = sectionOfKey(key);
    return (this.app.analysis?.[section] ?? []).find((e) => e.key === key) ?? null;
  }

  async simulate(rec) {
    this.simulated = rec.key;
    for (const li of this.root.querySelectorAll(".recommendation")) {
      li.classList.toggle("active", li.dataset.key === rec.key);
      if (li.dataset.key === rec.key) li.append(this.result); // the result shows under its recommendation
    }
    replace(this.result, h("p", { class: "muted" }, `Simulating “${rec.title}”…`));
    let scenario;
    try {
      scenario = await runScenario(this.app.model.id, rec.scenarioChanges);
    } catch (error) {
      replace(this.result, h("p", { class: "error" }, `Simulation failed: ${error.message}`));
      return;
    }
    if (this.simulated !== rec.key) return; // another simulation started meanwhile
    const shown = this.app.previewChanges(rec.scenarioChanges, rec.title);
    const model = this.app.model;
    const group = (title, cls, changes, detail) =>
      h(
        "div",
        { class: `scenario-group ${cls}` },
        h("h4", null, `${title} (${changes.length})`),
        changes.length
          ? h(
              "ul",
              { class: cls },
              changes.map((c) => h("li", { "data-key": c.key }, describeChange(c, model), detail ? detail(c) : null)),
            )
          : h("p", { class: "muted small" }, "None."),
      );
    replace(
      this.result,
      h("h3", null, `Simulation: ${rec.title}`),
      h("p", { class: "muted small" }, `On the graph: ${shown.nodes.length} nodes and ${shown.edges.length} edges marked, ${shown.proposedNodes} proposed nodes and ${shown.proposedEdges} proposed edges drawn dashed.`),
      group("Resolved", "resolved", scenario.resolved),
      group("Introduced", "introduced", scenario.introduced),
      group("Changed", "changed", scenario.changed, (c) => {
        const diffs = scalarDiffs(c.before, c.after);
        return diffs.length ? h("span", { class: "muted small diff" }, ` (${diffs.join(", ")})`) : null;
      }),
      h(
        "div",
        { class: "actions" },
        h("button", { type: "button", "data-requires": "edit", onclick: () => this.app.editing.applyRecommendation(rec) }, "Apply this change set"),
        h("button", { type: "button", onclick: () => this.clear() }, "Clear simulation"),
      ),
    );
    this.result.scrollIntoView({ block: "nearest" });
  }

  clear() {
    this.simulated = null;
    for (const li of this.root.querySelectorAll(".recommendation")) li.classList.remove("active");
    this.result?.remove();
    this.app.clearHighlight();
  }
}
