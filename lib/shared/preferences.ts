/** Browser-side preferences (no user-settings API exists; these stay in this browser's localStorage). */

const MODEL_KEY = "slipway-default-model";
const EVENT = "slipway-preferences";

export function getDefaultModel(): string | null {
  try {
    return localStorage.getItem(MODEL_KEY);
  } catch {
    return null;
  }
}

export function setDefaultModel(model: string | null) {
  try {
    if (model) localStorage.setItem(MODEL_KEY, model);
    else localStorage.removeItem(MODEL_KEY);
  } catch {
    /* storage unavailable: the choice lasts for this page only */
  }
  window.dispatchEvent(new Event(EVENT));
}

/** For useSyncExternalStore: changes in this tab (EVENT) and in others (storage). */
export function subscribePreferences(onChange: () => void) {
  window.addEventListener(EVENT, onChange);
  window.addEventListener("storage", onChange);
  return () => {
    window.removeEventListener(EVENT, onChange);
    window.removeEventListener("storage", onChange);
  };
}
