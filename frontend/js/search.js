// Search by name or id: an ARIA combobox over the nodes of the open map. Choosing a result
// (click, or arrows and Enter) focuses that node on the graph.

import { nodeKindLabel } from "./kinds.js";
import { $, h, replace } from "./dom.js";

const MAX_RESULTS = 20;

export class Search {
  constructor({ input, list, onPick }) {
    this.input = input;
    this.list = list;
    this.onPick = onPick;
    this.model = null;
    this.results = [];
    this.active = -1;
    input.addEventListener("input", () => this._update());
    input.addEventListener("keydown", (ev) => this._key(ev));
    input.addEventListener("blur", () => setTimeout(() => this._close(), 150));
    input.addEventListener("focus", () => this.input.value && this._update());
  }

  setModel(model) {
    this.model = model;
    this.input.value = "";
    this._close();
  }

  /** Nodes whose name or id contains the text; prefix matches first, then by name. */
  match(text) {
    const needle = text.trim().toLowerCase();
    if (!needle || !this.model) return [];
    const hits = [];
    for (const n of this.model.nodes.values()) {
      const name = n.name.toLowerCase();
      const inName = name.indexOf(needle);
      const at = inName >= 0 ? inName : n.id.indexOf(needle);
      if (at < 0) continue;
      // Prefix first, then the start of a word, then anywhere; earlier before later.
      const rank = at === 0 ? 0 : /[^a-z0-9]/.test((inName >= 0 ? name : n.id)[at - 1]) ? 1 : 2;
      hits.push({ node: n, rank, at });
    }
    hits.sort((a, b) => a.rank - b.rank || a.at - b.at || a.node.name.localeCompare(b.node.name));
    return hits.slice(0, MAX_RESULTS).map((x) => x.node);
  }

  _update() {
    this.results = this.match(this.input.value);
    this.active = this.results.length ? 0 : -1;
    this._render();
  }

  _render() {
    const open = this.input.value.trim().length > 0;
    replace(
      this.list,
      this.results.length
        ? this.results.map((n, i) =>
            h(
              "li",
              {
                id: `search-option-${i}`,
                role: "option",
                "aria-selected": i === this.active ? "true" : "false",
                class: i === this.active ? "active" : null,
                onmousedown: (ev) => {
                  ev.preventDefault();
                  this._pick(i);
                },
              },
              h("span", { class: "option-name" }, n.name),
              h("span", { class: "option-kind" }, `${nodeKindLabel(n.kind)} · ${n.id}`),
            ),
          )
        : h("li", { class: "empty", role: "option", "aria-disabled": "true" }, "No node matches"),
    );
    this.list.hidden = !open;
    this.input.setAttribute("aria-expanded", open ? "true" : "false");
    if (this.active >= 0) this.input.setAttribute("aria-activedescendant", `search-option-${this.active}`);
    else this.input.removeAttribute("aria-activedescendant");
  }

  _key(ev) {
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!this.results.length) return;
      ev.preventDefault();
      const step = ev.key === "ArrowDown" ? 1 : -1;
      this.active = (this.active + step + this.results.length) % this.results.length;
      this._render();
    } else if (ev.key === "Enter") {
      ev.preventDefault();
      if (!this.results.length) this._update();
      if (this.active >= 0) this._pick(this.active);
    } else if (ev.key === "Escape") {
      this.input.value = "";
      this._close();
    }
  }

  _pick(i) {
    const node = this.results[i];
    if (!node) return;
    this.input.value = node.name;
    this._close();
    this.onPick(node.id);
  }

  _close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
  }
}

export function focusSearch() {
  $("#search")?.focus();
}
