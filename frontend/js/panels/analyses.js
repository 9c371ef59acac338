// The analyses panel: a tab per analysis (docs/ANALYSES.md) listing its findings; clicking a
// finding highlights its nodes and path on the graph. The last tab finds impact paths.

import { enumLabel, nodeKindLabel } from "../kinds.js";
import { SECTIONS, describe, isProblem } from "../findings.js";
import { appendPaged, formatNumber, h, replace } from "../dom.js";
import { buildTabs } from "../tabs.js";
import { powerGrid, utilizationBar } from "./charts.js";
import { ImpactFinder } from "./impact.js";

const SALIENCE_ORDER = ["DEFINITIVE", "DANGEROUS", "DEPENDENT", "DOMINANT", "DEMANDING", "DISCRETIONARY", "DORMANT", "NON_STAKEHOLDER"];
const GRID_POINTS = 200;
const POWER_COLUMNS = [
  ["actor", "Actor → stakeholder", "text"],
  ["powerOver", "Power", "number"],
  ["counterPower", "Counter", "number"],
  ["asymmetry", "Asym.", "number"],
];

export class AnalysesPanel {
  constructor(root, app) {
    this.root = root;
    this.app = app;
    this.current = "withoutContestPath";
    this.sort = { key: "asymmetry", dir: -1 };
    this.impact = null;
  }

  findingButton(section, entry, text = null) {
    const active = this.app.activeKey === entry.key;
    return h(
      "button",
      {
        type: "button",
        class: isProblem(section, entry) ? "finding problem" : "finding",
        "data-key": entry.key,
        "data-section": section,
        "aria-pressed": active ? "true" : "false",
        onclick: () => this.app.highlightFinding(section, entry),
      },
      text ?? describe(section, entry, this.app.model),
    );
  }

  list(section, entries, render = null) {
    if (!entries.length) return h("p", { class: "muted empty" }, "No findings of this kind.");
    const ul = h("ul", { class: "finding-list" });
    const more = appendPaged(ul, entries, (e) => h("li", null, render ? render(e) : this.findingButton(section, e)));
    return h("div", { class: "paged" }, ul, more);
  }

  render(analysis) {
    const a = analysis;
    const count = (section) => (a[section] ?? []).filter((e) => isProblem(section, e)).length;
    const builders = {
      withoutContestPath: (p) => this.contest(p, a),
      mechanisms: (p) => this.mechanisms(p, a),
      powerAsymmetry: (p) => this.power(p, a),
      accountabilityGaps: (p) => p.append(this.list("accountabilityGaps", a.accountabilityGaps)),
      feedbackLoops: (p) => this.feedback(p, a),
      automationBias: (p) => p.append(this.list("automationBias", a.automationBias)),
      salience: (p) => this.salience(p, a),
      singlePointsOfFailure: (p) => this.spof(p, a),
    };
    const specs = SECTIONS.map(([id, label, help]) => ({
      id,
      label,
      count: id === "salience" ? a.salience.length : count(id),
      alert: id !== "salience" && count(id) > 0,
      build: (panel) => {
        panel.append(h("p", { class: "help" }, help));
        builders[id](panel);
      },
    }));
    specs.push({
      id: "impact",
      label: "Impact paths",
      build: (panel) => {
        this.impact = this.impact ?? new ImpactFinder(panel, this.app);
        this.impact.root = panel;
        this.impact.render();
      },
    });
    const wanted = this.current;
    replace(this.root);
    buildTabs(this.root, "analysis", specs, {
      label: "Analyses",
      onSelect: (id) => {
        this.current = id.replace("analysis-tab-", "");
      },
    }).select(`analysis-tab-${wanted}`);
  }

  showImpactFrom(id) {
    this.current = "impact";
    this.impact?.setFrom(id);
    document.getElementById("analysis-tab-impact")?.click();
  }

  contest(panel, a) {
    panel.append(
      this.list("withoutContestPath", a.withoutContestPath),
      h("h3", null, `Every contest pair (${a.contestPairs.length})`),
      this.list("contestPairs", a.contestPairs, (e) =>
        h(
          "div",
          { class: "row" },
          this.findingButton("contestPairs", e),
          h("span", { class: `status status-${e.status}` }, enumLabel(e.status)),
        ),
      ),
    );
  }

  mechanisms(panel, a) {
    const sorted = [...a.mechanisms].sort((x, y) => (y.utilization ?? -1) - (x.utilization ?? -1) || (x.id < y.id ? -1 : 1));
    panel.append(
      this.list("mechanisms", sorted, (e) =>
        h(
          "div",
          { class: "mechanism" },
          this.findingButton("mechanisms", e, this.app.model.name(e.id)),
          utilizationBar(e),
          h(
            "span",
            { class: "muted small" },
            `load ${formatNumber(e.loadPerMonth, 0)}/month · capacity ${e.capacityPerMonth === null ? "unknown" : `${formatNumber(e.capacityPerMonth, 0)}/month`}`,
          ),
        ),
      ),
    );
  }

  power(panel, a) {
    const entries = a.powerAsymmetry;
    if (!entries.length) {
      panel.append(h("p", { class: "muted empty" }, "No actor deploys or develops a system that affects a stakeholder."));
      return;
    }
    const describeEntry = (e) => describe("powerAsymmetry", e, this.app.model);
    const plotted = [...entries].sort((x, y) => y.asymmetry - x.asymmetry || (x.key < y.key ? -1 : 1)).slice(0, GRID_POINTS);
    panel.append(
      h(
        "figure",
        { class: "chart" },
        powerGrid(plotted, { describe: describeEntry, onPick: (e) => this.app.highlightFinding("powerAsymmetry", e), activeKey: this.app.activeKey }),
        h(
          "figcaption",
          { class: "muted small" },
          "Each point is an (actor, stakeholder) pair; vermillion points have asymmetry ≥ 0.5.",
          plotted.length < entries.length ? ` The ${plotted.length} most asymmetric of ${entries.length} pairs are plotted.` : null,
        ),
      ),
    );
    const tableBox = h("div", { class: "table-box" });
    const draw = () => replace(tableBox, this.powerTable(entries, draw));
    draw();
    panel.append(tableBox);
    const active = entries.find((e) => e.key === this.app.activeKey);
    if (active) {
      panel.append(h("h3", null, "Why"), h("ul", { class: "reasons" }, active.reasons.map((r) => h("li", null, r))));
    }
  }

  powerTable(entries, redraw) {
    const { key, dir } = this.sort;
    const type = POWER_COLUMNS.find((c) => c[0] === key)?.[2];
    const name = (id) => this.app.model.name(id);
    const sorted = [...entries].sort((x, y) => {
      const cmp =
        type === "number"
          ? x[key] - y[key]
          : name(x.actor).localeCompare(name(y.actor)) || name(x.stakeholder).localeCompare(name(y.stakeholder));
      return cmp * dir || (x.key < y.key ? -1 : 1);
    });
    const body = h("tbody");
    const table = h(
      "table",
      { class: "sortable", id: "power-table" },
      h("caption", { class: "visually-hidden" }, "Power asymmetry, sortable by each column"),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          POWER_COLUMNS.map(([col, label]) =>
            h(
              "th",
              { scope: "col", "aria-sort": col === key ? (dir > 0 ? "ascending" : "descending") : "none" },
              h(
                "button",
                {
                  type: "button",
                  class: "sort",
                  "data-column": col,
                  onclick: () => {
                    this.sort = { key: col, dir: col === key ? -dir : col === "asymmetry" || col === "powerOver" ? -1 : 1 };
                    redraw();
                  },
                },
                label,
                h("span", { "aria-hidden": "true" }, col === key ? (dir > 0 ? " ▲" : " ▼") : ""),
              ),
            ),
          ),
        ),
      ),
      body,
    );
    const more = appendPaged(body, sorted, (e) =>
      h(
        "tr",
        { class: e.key === this.app.activeKey ? "active" : null, "data-key": e.key },
        h(
          "td",
          null,
          this.findingButton("powerAsymmetry", e, `${name(e.actor)} → ${name(e.stakeholder)}`),
          h("span", { class: "muted small via" }, `via ${name(e.system)}`),
        ),
        h("td", { class: "num" }, formatNumber(e.powerOver)),
        h("td", { class: "num" }, formatNumber(e.counterPower)),
        h("td", { class: "num" }, formatNumber(e.asymmetry)),
      ),
    );
    return [table, more];
  }

  feedback(panel, a) {
    const sorted = [...a.feedbackLoops].sort((x, y) => (x.status === y.status ? 0 : x.status === "BROKEN" ? -1 : 1));
    panel.append(this.list("feedbackLoops", sorted));
  }

  salience(panel, a) {
    const groups = SALIENCE_ORDER.map((cls) => [cls, a.salience.filter((e) => e.class === cls)]).filter(([, es]) => es.length);
    if (!groups.length) {
      panel.append(h("p", { class: "muted empty" }, "No stakeholders."));
      return;
    }
    for (const [cls, entries] of groups) {
      panel.append(
        h("h3", null, `${enumLabel(cls)} (${entries.length})`),
        this.list("salience", entries, (e) =>
          h(
            "div",
            { class: "row" },
            this.findingButton("salience", e, `${this.app.model.name(e.stakeholder)} · ${nodeKindLabel(e.kind)}`),
            h(
              "span",
              { class: "chips", "aria-label": ["power", "legitimacy", "urgency"].filter((k) => e[k]).join(", ") || "no attributes" },
              ["power", "legitimacy", "urgency"].map((k) => h("span", { class: e[k] ? "chip on" : "chip", "aria-hidden": "true", title: k }, k[0].toUpperCase())),
            ),
          ),
        ),
      );
    }
  }

  spof(panel, a) {
    panel.append(
      this.list("singlePointsOfFailure", a.singlePointsOfFailure, (e) =>
        h(
          "div",
          null,
          this.findingButton("singlePointsOfFailure", e),
          h(
            "p",
            { class: "muted small" },
            e.pairs.map(([sys, stk]) => `${this.app.model.name(stk)} → ${this.app.model.name(sys)}`).join("; "),
          ),
        ),
      ),
    );
  }
}
