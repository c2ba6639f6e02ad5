import type { Model, Operation } from "./linearizability.js";

/** What a client asks a key-value store to do. */
export type KeyValueInput =
  | { kind: "get"; key: string }
  | { kind: "put"; key: string; value: string }
  | { kind: "append"; key: string; value: string };

/** What the store answers: `{ value }` to a get (a missing key reads as ""), `{}` to a put or append. */
export type KeyValueOutput = { value?: string };

/**
 * Every key's current value. Keys whose value is "" are left out, so that a store that never saw
 * a key and one that was told `put(x, "")` have the same memo key: they cannot be told apart.
 */
export type KeyValueState = ReadonlyMap<string, string>;

/**
 * The sequential specification of a string key-value store: a get returns the last value put
 * plus everything appended since. Partitions by key, because operations on different keys never
 * constrain each other, and small independent searches are far cheaper than one large one.
 */
export const keyValueModel: Model<KeyValueState, KeyValueInput, KeyValueOutput> = {
  init() {
    return new Map();
  },

  step(state, input, output) {
    const current = state.get(input.key) ?? "";
    switch (input.kind) {
      case "get":
        if (output !== undefined && output.value !== current) return undefined;
        return state;
      case "put":
        return withValue(state, input.key, input.value);
      case "append":
        return withValue(state, input.key, current + input.value);
    }
  },

  key(state) {
    return JSON.stringify(sortedEntries(state));
  },

  partition(history) {
    const byKey = new Map<string, Operation<KeyValueInput, KeyValueOutput>[]>();
    for (const operation of history) {
      const group = byKey.get(operation.input.key);
      if (group === undefined) byKey.set(operation.input.key, [operation]);
      else group.push(operation);
    }
    // A Map iterates in insertion order, so groups come out in order of each key's first use.
    return [...byKey.values()];
  },

  describe(input, output) {
    switch (input.kind) {
      case "get":
        if (output === undefined) return `get(${input.key}) -> ?`;
        // A get answered without a value is a malformed reply; show it as it was.
        return `get(${input.key}) -> ${output.value === undefined ? "{}" : JSON.stringify(output.value)}`;
      case "put":
      case "append":
        return `${input.kind}(${input.key}, ${JSON.stringify(input.value)}) -> ${output === undefined ? "?" : "ok"}`;
    }
  },

  describeState(state) {
    if (state.size === 0) return `empty (every key reads "")`;
    return sortedEntries(state)
      .map(([key, value]) => `${key} = ${JSON.stringify(value)}`)
      .join(", ");
  },
};

function withValue(state: KeyValueState, key: string, value: string): KeyValueState {
  // States are shared between branches of the search, so a step copies instead of mutating.
  const next = new Map(state);
  if (value === "") next.delete(key);
  else next.set(key, value);
  return next;
}

function sortedEntries(state: KeyValueState): [string, string][] {
  // Plain comparison, not localeCompare: the order must not depend on the machine's locale.
  return [...state].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}
