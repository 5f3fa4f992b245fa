/**
 * Turn starts that arrive together (many sessions sending in the same instant) are taken one per event-loop
 * iteration, with the I/O that arrived meanwhile handled in between: a turn whose request is already out relays
 * its first token while the next turn is still being set up, instead of after all of them. A lone start runs at
 * once.
 */
let held = false;
const waiting: Array<() => void> = [];

function nextIteration() {
  const next = waiting.shift();
  if (!next) {
    held = false;
    return;
  }
  next();
  setImmediate(nextIteration);
}

/** Resolves when this turn may start: at once if no other start ran in this event-loop iteration. */
export function startSlot(): Promise<void> | undefined {
  if (!held) {
    held = true;
    setImmediate(nextIteration);
    return undefined;
  }
  return new Promise((resolve) => waiting.push(resolve));
}
