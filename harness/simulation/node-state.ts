/**
 * What a node shows of itself, for the space-time viewer: the values of its public getters
 * (`role`, `currentTerm`, `commitIndex`…), the same state the chapters' checkers read. A node
 * need do nothing to appear; whatever it keeps in `#private` fields stays private.
 */
export type NodeStateValue = string | number | boolean | null;

/** One node's state after it handled one event. */
export interface NodeStateSnapshot {
  /** The step of the event after which the node was in this state. */
  step: number;
  node: string;
  state: Record<string, NodeStateValue>;
}

/** A state is summarised, not copied: a getter that returns a log shows its length. */
const fieldsMax = 16;
const textMax = 80;

export function readNodeState(instance: object): Record<string, NodeStateValue> | undefined {
  const state: Record<string, NodeStateValue> = {};
  let count = 0;
  for (
    let prototype = Object.getPrototypeOf(instance) as object | null;
    prototype !== null && prototype !== Object.prototype;
    prototype = Object.getPrototypeOf(prototype) as object | null
  ) {
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(prototype))) {
      if (descriptor.get === undefined || name in state || count >= fieldsMax) continue;
      try {
        state[name] = summarise(descriptor.get.call(instance));
        count++;
      } catch {
        // A stub's getter throws its TODO: that field is simply not shown.
      }
    }
  }
  return count === 0 ? undefined : state;
}

function summarise(value: unknown): NodeStateValue {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "boolean") return value;
  if (typeof value === "string")
    return value.length > textMax ? `${value.slice(0, textMax)}…` : value;
  if (Array.isArray(value)) return `${value.length} ${value.length === 1 ? "entry" : "entries"}`;
  if (value instanceof Map || value instanceof Set) return `${value.size} entries`;
  try {
    const text = JSON.stringify(value);
    return text.length > textMax ? `${text.slice(0, textMax)}…` : text;
  } catch {
    return String(value);
  }
}
