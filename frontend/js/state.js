// What the explorer remembers: the undo/redo history of edits (per map, in memory) and the
// node positions the user arranged (per map, in localStorage, so they survive a reload).

const POSITIONS_PREFIX = "graphsvc.positions.";
const HISTORY_LIMIT = 100;

/**
 * Undo and redo of edits. An entry holds the operations that take the map back (or forward);
 * running them yields their own inverse, which goes on the other stack. So the history never
 * replays stale records: each step is computed from the map as it is when the step runs.
 */
export class History {
  constructor(limit = HISTORY_LIMIT) {
    this.limit = limit;
    this.undos = [];
    this.redos = [];
    this.onchange = null;
  }

  get canUndo() {
    return this.undos.length > 0;
  }

  get canRedo() {
    return this.redos.length > 0;
  }

  get nextUndo() {
    return this.undos.at(-1)?.label ?? null;
  }

  get nextRedo() {
    return this.redos.at(-1)?.label ?? null;
  }

  /** Record a done edit: its label and the operations that undo it. */
  record(label, inverse) {
    if (!inverse.length) return;
    this.undos.push({ label, ops: inverse });
    if (this.undos.length > this.limit) this.undos.shift();
    this.redos = [];
    this._changed();
  }

  /** Undo with `run(ops) → inverse`; false when there is nothing to undo. */
  async undo(run) {
    return this._step(this.undos, this.redos, run);
  }

  async redo(run) {
    return this._step(this.redos, this.undos, run);
  }

  async _step(from, to, run) {
    const entry = from.pop();
    if (!entry) return false;
    this._changed();
    try {
      const inverse = await run(entry.ops);
      if (inverse.length) to.push({ label: entry.label, ops: inverse });
    } catch (error) {
      // Steps that ran are already in `error.inverse`; keep them undoable.
      if (error.inverse?.length) to.push({ label: entry.label, ops: error.inverse });
      throw error;
    } finally {
      this._changed();
    }
    return true;
  }

  clear() {
    this.undos = [];
    this.redos = [];
    this._changed();
  }

  _changed() {
    if (this.onchange) this.onchange(this);
  }
}

function storage() {
  try {
    return window.localStorage;
  } catch {
    return null; // storage disabled: positions are simply not kept
  }
}

/** Saved node positions of a map: {id: {x, y}}. */
export function loadPositions(mapId) {
  try {
    const raw = storage()?.getItem(POSITIONS_PREFIX + mapId);
    const parsed = raw ? JSON.parse(raw) : {};
    const out = {};
    for (const [id, p] of Object.entries(parsed)) {
      if (Number.isFinite(p?.x) && Number.isFinite(p?.y)) out[id] = { x: p.x, y: p.y };
    }
    return out;
  } catch {
    return {};
  }
}

/** Merge positions into those saved for a map; ids in `forget` are dropped. */
export function savePositions(mapId, positions, forget = []) {
  const all = { ...loadPositions(mapId) };
  for (const [id, p] of Object.entries(positions)) all[id] = { x: Math.round(p.x), y: Math.round(p.y) };
  for (const id of forget) delete all[id];
  try {
    storage()?.setItem(POSITIONS_PREFIX + mapId, JSON.stringify(all));
  } catch {
    // quota exceeded or storage disabled: the layout is just not remembered
  }
}

export function forgetPositions(mapId) {
  try {
    storage()?.removeItem(POSITIONS_PREFIX + mapId);
  } catch {
    // nothing to forget
  }
}
