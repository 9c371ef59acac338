// Edits and their history: every edit runs as operations (./edits.js) through the API, is drawn
// by the explorer, and can be undone and redone. One history per map, kept for the session.

import { $, announce, toast } from "./dom.js";
import { opsFromChanges, runOps } from "./edits.js";
import { History } from "./state.js";

export class Editing {
  constructor(app) {
    this.app = app;
    this.histories = new Map();
    this.history = new History();
  }

  /** Switch to the history of a map (a new one the first time). */
  useMap(mapId) {
    if (!this.histories.has(mapId)) this.histories.set(mapId, new History());
    this.history = this.histories.get(mapId);
    this.history.onchange = () => this._buttons();
    this._buttons();
  }

  _buttons() {
    const undo = $("#undo");
    const redo = $("#redo");
    undo.disabled = !this.history.canUndo;
    redo.disabled = !this.history.canRedo;
    undo.title = this.history.canUndo ? `Undo ${this.history.nextUndo} (Ctrl+Z)` : "Nothing to undo";
    redo.title = this.history.canRedo ? `Redo ${this.history.nextRedo} (Ctrl+Shift+Z)` : "Nothing to redo";
  }

  async _run(ops) {
    try {
      const { inverse, changed } = await this.app.busy(runOps(this.app.model, ops));
      this.app.drawChanges(changed);
      return inverse;
    } catch (error) {
      if (error.changed) this.app.drawChanges(error.changed);
      if (error.code === "CONFLICT") this._conflict();
      throw error;
    }
  }

  _conflict() {
    toast("The map was changed elsewhere. Reloaded the latest version; the undo history is cleared.", { error: true });
    this.history.clear();
    this.app.openMap(this.app.model.id);
  }

  /** Run an edit and make it undoable; rejects (with the API's problems) when it fails. */
  async perform(label, ops) {
    if (!this.app.canEdit) throw new Error("this token may not edit the map");
    try {
      const inverse = await this._run(ops);
      this.history.record(label, inverse);
      toast(`Saved: ${label}.`);
      announce(`Saved: ${label}.`);
    } catch (error) {
      if (error.inverse?.length) this.history.record(label, error.inverse);
      throw error;
    }
  }

  async undo() {
    if (!this.history.canUndo) return;
    const label = this.history.nextUndo;
    try {
      await this.history.undo((ops) => this._run(ops));
      toast(`Undone: ${label}.`);
      announce(`Undone: ${label}.`);
    } catch (error) {
      toast(`Undo failed: ${error.message}`, { error: true });
    }
  }

  async redo() {
    if (!this.history.canRedo) return;
    const label = this.history.nextRedo;
    try {
      await this.history.redo((ops) => this._run(ops));
      toast(`Redone: ${label}.`);
      announce(`Redone: ${label}.`);
    } catch (error) {
      toast(`Redo failed: ${error.message}`, { error: true });
    }
  }

  async deleteNode(id) {
    try {
      await this.perform(`delete node ${this.app.model.name(id)}`, [{ op: "deleteNode", id }]);
    } catch (error) {
      toast(error.message, { error: true });
    }
  }

  async deleteEdge(id) {
    try {
      await this.perform(`delete edge ${id}`, [{ op: "deleteEdge", id }]);
    } catch (error) {
      toast(error.message, { error: true });
    }
  }

  async applyRecommendation(rec) {
    try {
      await this.perform(`apply “${rec.title}”`, opsFromChanges(this.app.model, rec.scenarioChanges));
      this.app.whatif.clear();
    } catch (error) {
      toast(`Could not apply: ${error.message}`, { error: true });
    }
  }
}
