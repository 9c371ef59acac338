// Accessible tabs (WAI-ARIA tabs pattern): one tab stop for the tab list, arrow keys, Home and
// End move between tabs, and the chosen tab shows its panel.

import { h } from "./dom.js";

export class Tabs {
  /**
   * tablist: the element with role=tablist holding buttons with role=tab and aria-controls.
   * onSelect(id): called after a tab is shown.
   */
  constructor(tablist, { onSelect } = {}) {
    this.tablist = tablist;
    this.onSelect = onSelect;
    tablist.addEventListener("click", (ev) => {
      const tab = ev.target.closest("[role=tab]");
      if (tab && tablist.contains(tab)) this.select(tab.id);
    });
    tablist.addEventListener("keydown", (ev) => this._key(ev));
    const all = Array.from(tablist.querySelectorAll("[role=tab]"));
    const first = all.find((t) => t.getAttribute("aria-selected") === "true") ?? all[0];
    if (first) this.select(first.id, { focus: false });
  }

  select(id, { focus = false } = {}) {
    for (const tab of this.tablist.querySelectorAll("[role=tab]")) {
      const on = tab.id === id;
      tab.setAttribute("aria-selected", on ? "true" : "false");
      tab.tabIndex = on ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls"));
      if (panel) panel.hidden = !on;
      if (on && focus) tab.focus();
    }
    this.current = id;
    this.onSelect?.(id);
  }

  _key(ev) {
    const tabs = Array.from(this.tablist.querySelectorAll("[role=tab]")).filter((t) => !t.hidden && getComputedStyle(t).display !== "none");
    const i = tabs.findIndex((t) => t.id === this.current);
    let next = null;
    if (ev.key === "ArrowRight" || ev.key === "ArrowDown") next = tabs[(i + 1) % tabs.length];
    else if (ev.key === "ArrowLeft" || ev.key === "ArrowUp") next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (ev.key === "Home") next = tabs[0];
    else if (ev.key === "End") next = tabs.at(-1);
    if (next) {
      ev.preventDefault();
      this.select(next.id, { focus: true });
    }
  }
}

/**
 * Build a tab list and its panels inside `root`: [{id, label, count, alert, build(panel)}].
 * A panel's content is built the first time its tab is shown.
 */
export function buildTabs(root, prefix, specs, { label, onSelect } = {}) {
  const list = h("div", { role: "tablist", "aria-label": label, class: "tablist sub" });
  const panels = [];
  for (const spec of specs) {
    list.appendChild(
      h(
        "button",
        {
          type: "button",
          role: "tab",
          id: `${prefix}-tab-${spec.id}`,
          "aria-controls": `${prefix}-panel-${spec.id}`,
          "aria-selected": "false",
          class: spec.alert ? "has-alert" : null,
          "data-section": spec.id,
        },
        spec.label,
        spec.count === undefined ? null : h("span", { class: "badge" }, String(spec.count)),
      ),
    );
    const panel = h("div", {
      role: "tabpanel",
      id: `${prefix}-panel-${spec.id}`,
      "aria-labelledby": `${prefix}-tab-${spec.id}`,
      tabindex: "0",
      class: "subpanel",
      hidden: true,
    });
    panels.push(panel);
  }
  root.append(list, ...panels);
  const built = new Set();
  return new Tabs(list, {
    onSelect: (tabId) => {
      const i = specs.findIndex((spec) => `${prefix}-tab-${spec.id}` === tabId);
      if (i >= 0 && !built.has(i)) {
        built.add(i);
        specs[i].build(panels[i]);
      }
      onSelect?.(tabId);
    },
  });
}
