import { describe, expect, test } from "vitest";
import { keyValueModel } from "./key-value-model.js";
import type { KeyValueInput, KeyValueOutput, KeyValueState } from "./key-value-model.js";
import { checkLinearizable } from "./linearizability.js";
import type { LinearizabilityResult, Model, Operation } from "./linearizability.js";

type KeyValueOperation = Operation<KeyValueInput, KeyValueOutput>;

function put(
  client: string,
  key: string,
  value: string,
  callMs: number,
  returnMs: number,
): KeyValueOperation {
  return { client, input: { kind: "put", key, value }, output: {}, callMs, returnMs };
}

function append(
  client: string,
  key: string,
  value: string,
  callMs: number,
  returnMs: number,
): KeyValueOperation {
  return { client, input: { kind: "append", key, value }, output: {}, callMs, returnMs };
}

function get(
  client: string,
  key: string,
  value: string,
  callMs: number,
  returnMs: number,
): KeyValueOperation {
  return { client, input: { kind: "get", key }, output: { value }, callMs, returnMs };
}

function pendingPut(client: string, key: string, value: string, callMs: number): KeyValueOperation {
  return {
    client,
    input: { kind: "put", key, value },
    output: undefined,
    callMs,
    returnMs: Infinity,
  };
}

/** The same store, but checked as one search over every key. */
const unpartitionedKeyValueModel: Model<KeyValueState, KeyValueInput, KeyValueOutput> = {
  ...keyValueModel,
  partition: undefined,
};

/**
 * A "true" verdict is only as good as its witness: checks that `order` really is a linearization,
 * so a checker that answered true without one would fail here.
 */
function expectValidOrder<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
  result: LinearizabilityResult,
): void {
  expect(result.linearizable).toBe(true);
  if (result.linearizable !== true) return;
  // Problems are collected and asserted once: an expect per pair is too slow for long histories.
  const problems: string[] = [];
  const { order } = result;
  if (new Set(order).size !== order.length) problems.push("an operation appears twice");
  for (const index of order)
    if (history[index] === undefined) problems.push(`#${index} is not in the history`);
  history.forEach((operation, index) => {
    if (operation.returnMs !== Infinity && !order.includes(index))
      problems.push(`#${index} is missing`);
  });
  order.forEach((earlier, position) => {
    for (const later of order.slice(position + 1)) {
      if (history[later]!.returnMs < history[earlier]!.callMs) {
        problems.push(`#${later} returned before #${earlier} was called, but is placed after it`);
      }
    }
  });
  let state: State | undefined = model.init();
  for (const index of order) {
    state = model.step(state, history[index]!.input, history[index]!.output);
    if (state === undefined) {
      problems.push(`#${index} does not replay in the given order`);
      break;
    }
  }
  expect(problems).toEqual([]);
}

/** mulberry32: a tiny seeded generator, so the "random" history is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Records a history from a real sequential execution: each operation takes effect at an instant
 * strictly inside its interval, and the instants increase, so the history is linearizable by
 * construction. Intervals are stretched either side of that instant so that they overlap.
 */
function sequentialHistory(options: {
  seed: number;
  operations: number;
  clients: number;
  keys: number;
  pendingChance: number;
}): KeyValueOperation[] {
  const random = mulberry32(options.seed);
  const int = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1));
  const values = new Map<string, string>();
  const clientNames = Array.from({ length: options.clients }, (_, slot) => `c${slot}`);
  const freeMs = clientNames.map(() => 0);
  const history: KeyValueOperation[] = [];
  let instantMs = 0;
  for (let number = 0; number < options.operations; number++) {
    const slot = int(0, options.clients - 1);
    instantMs = Math.max(instantMs + int(1, 3), freeMs[slot]! + 2);
    const callMs = Math.max(freeMs[slot]! + 1, instantMs - int(1, 25));
    const returnMs = instantMs + int(1, 25);
    const client = clientNames[slot]!;
    const key = `k${int(0, options.keys - 1)}`;
    const current = values.get(key) ?? "";
    const roll = random();
    if (roll < 0.4) {
      history.push(get(client, key, current, callMs, returnMs));
      freeMs[slot] = returnMs;
      continue;
    }
    const input: KeyValueInput =
      roll < 0.7
        ? { kind: "put", key, value: `v${number}` }
        : { kind: "append", key, value: `${number};` };
    const pending = random() < options.pendingChance;
    // A write whose reply was lost may or may not have happened; both must be explainable.
    if (!pending || random() < 0.5) {
      values.set(key, input.kind === "put" ? input.value : current + input.value);
    }
    if (pending) {
      history.push({ client, input, output: undefined, callMs, returnMs: Infinity });
      // A client that never heard back is retired; a fresh client takes its place.
      clientNames[slot] = `${client}'`;
      freeMs[slot] = instantMs;
    } else {
      history.push({ client, input, output: {}, callMs, returnMs });
      freeMs[slot] = returnMs;
    }
  }
  // The checker must not rely on the history being recorded in time order.
  for (let index = history.length - 1; index > 0; index--) {
    const other = int(0, index);
    [history[index], history[other]] = [history[other]!, history[index]!];
  }
  return history;
}

describe("linearizability checker on a key-value store", () => {
  test("an empty history is linearizable", () => {
    const result = checkLinearizable([], keyValueModel);
    expect(result).toEqual({ linearizable: true, order: [], searchSteps: 0 });
  });

  test("a sequential history is linearizable, in the order it happened", () => {
    const history = [
      get("b", "x", "12", 40, 50),
      put("a", "x", "1", 0, 10),
      append("b", "x", "2", 20, 30),
      get("a", "x", "12", 60, 70),
    ];
    const result = checkLinearizable(history, keyValueModel);
    expectValidOrder(history, keyValueModel, result);
    expect(result.linearizable === true && result.order).toEqual([1, 2, 0, 3]);
  });

  test("a sequential history with a wrong answer is not linearizable", () => {
    const history = [put("a", "x", "1", 0, 10), get("a", "x", "", 20, 30)];
    expect(checkLinearizable(history, keyValueModel).linearizable).toBe(false);
  });

  test("a get concurrent with a put may see the value before or after it", () => {
    for (const seen of ["", "1"]) {
      const history = [put("a", "x", "1", 0, 20), get("b", "x", seen, 10, 30)];
      expectValidOrder(history, keyValueModel, checkLinearizable(history, keyValueModel));
    }
  });

  test("intervals that only touch count as concurrent", () => {
    const history = [put("a", "x", "1", 0, 10), get("b", "x", "", 10, 20)];
    expectValidOrder(history, keyValueModel, checkLinearizable(history, keyValueModel));
  });

  test("a stale read (an older value after a newer put completed) is not linearizable", () => {
    const history = [
      put("a", "x", "1", 0, 10),
      put("a", "x", "2", 20, 30),
      get("b", "x", "1", 40, 50),
    ];
    expect(checkLinearizable(history, keyValueModel).linearizable).toBe(false);
  });

  test("a read of a value that was never written is not linearizable", () => {
    const history = [
      put("a", "x", "1", 0, 10),
      put("b", "x", "2", 5, 15),
      get("c", "x", "3", 0, 30),
    ];
    expect(checkLinearizable(history, keyValueModel).linearizable).toBe(false);
  });

  test("two acknowledged concurrent appends must both survive, in either order", () => {
    const appends = [append("a", "x", "a", 0, 10), append("b", "x", "b", 5, 15)];
    for (const seen of ["ab", "ba"]) {
      const history = [...appends, get("c", "x", seen, 20, 30)];
      expectValidOrder(history, keyValueModel, checkLinearizable(history, keyValueModel));
    }
    for (const lost of ["a", "b", ""]) {
      const history = [...appends, get("c", "x", lost, 20, 30)];
      expect(checkLinearizable(history, keyValueModel).linearizable).toBe(false);
    }
  });

  test("two readers that see concurrent writes in contradictory orders are not linearizable", () => {
    const writes = [put("w1", "x", "1", 0, 100), put("w2", "x", "2", 0, 100)];
    const readerA = [get("a", "x", "1", 10, 20), get("a", "x", "2", 30, 40)];
    const agreeing = [get("b", "x", "1", 10, 20), get("b", "x", "2", 30, 40)];
    const contradicting = [get("b", "x", "2", 10, 20), get("b", "x", "1", 30, 40)];
    const agreed = [...writes, ...readerA, ...agreeing];
    expectValidOrder(agreed, keyValueModel, checkLinearizable(agreed, keyValueModel));
    expect(
      checkLinearizable([...writes, ...readerA, ...contradicting], keyValueModel).linearizable,
    ).toBe(false);
  });

  test("a put that never returned may have taken effect, or not", () => {
    const withIt = [pendingPut("a", "x", "1", 0), get("b", "x", "1", 10, 20)];
    const result = checkLinearizable(withIt, keyValueModel);
    expectValidOrder(withIt, keyValueModel, result);
    expect(result.linearizable === true && result.order).toEqual([0, 1]);

    const withoutIt = [pendingPut("a", "x", "1", 0), get("b", "x", "", 10, 20)];
    const withoutResult = checkLinearizable(withoutIt, keyValueModel);
    expectValidOrder(withoutIt, keyValueModel, withoutResult);
    // Explained without the put ever taking effect, so the order leaves it out.
    expect(withoutResult.linearizable === true && withoutResult.order).toEqual([1]);

    // It may take effect late, long after other clients gave up on it...
    const late = [
      pendingPut("a", "x", "1", 0),
      get("b", "x", "", 10, 20),
      get("b", "x", "1", 500, 510),
    ];
    expectValidOrder(late, keyValueModel, checkLinearizable(late, keyValueModel));
  });

  test("a put that never returned cannot take effect before its call, nor be undone", () => {
    const beforeCall = [get("b", "x", "1", 0, 10), pendingPut("a", "x", "1", 20)];
    expect(checkLinearizable(beforeCall, keyValueModel).linearizable).toBe(false);
    const undone = [
      pendingPut("a", "x", "1", 0),
      get("b", "x", "1", 10, 20),
      get("b", "x", "", 30, 40),
    ];
    expect(checkLinearizable(undone, keyValueModel).linearizable).toBe(false);
  });

  test("checking each key separately gives the same verdict as checking all keys together", () => {
    const histories: KeyValueOperation[][] = [
      [],
      [
        put("a", "x", "1", 0, 10),
        put("b", "y", "2", 5, 15),
        get("c", "x", "1", 20, 30),
        get("c", "y", "2", 40, 50),
      ],
      [
        put("a", "x", "1", 0, 10),
        put("b", "y", "2", 5, 15),
        get("c", "x", "1", 20, 30),
        get("c", "y", "", 40, 50),
      ],
      [
        put("a", "x", "1", 0, 10),
        put("a", "x", "2", 20, 30),
        get("b", "x", "1", 40, 50),
        get("b", "y", "", 0, 60),
      ],
      [
        pendingPut("a", "x", "1", 0),
        append("b", "y", "z", 5, 15),
        get("c", "x", "1", 20, 30),
        get("c", "y", "z", 40, 50),
      ],
      sequentialHistory({ seed: 7, operations: 120, clients: 4, keys: 3, pendingChance: 0.05 }),
    ];
    const corrupted = sequentialHistory({
      seed: 8,
      operations: 120,
      clients: 4,
      keys: 3,
      pendingChance: 0.05,
    });
    const lastGet = corrupted.findLastIndex((operation) => operation.input.kind === "get");
    corrupted[lastGet] = { ...corrupted[lastGet]!, output: { value: "never written" } };
    histories.push(corrupted);

    const verdicts = histories.map(
      (history) => checkLinearizable(history, keyValueModel).linearizable,
    );
    const unpartitioned = histories.map(
      (history) => checkLinearizable(history, unpartitionedKeyValueModel).linearizable,
    );
    expect(verdicts).toEqual(unpartitioned);
    // Guard against both answering the same thing for everything.
    expect(verdicts).toEqual([true, true, false, false, true, true, false]);
    for (const history of histories) {
      const result = checkLinearizable(history, keyValueModel);
      if (result.linearizable === true) expectValidOrder(history, keyValueModel, result);
    }
  });

  test("a long history recorded from a real sequential execution is linearizable, quickly", () => {
    const history = sequentialHistory({
      seed: 42,
      operations: 600,
      clients: 6,
      keys: 4,
      pendingChance: 0.03,
    });
    expect(new Set(history.map((operation) => operation.client)).size).toBeGreaterThan(6);

    const partitioned = checkLinearizable(history, keyValueModel);
    expectValidOrder(history, keyValueModel, partitioned);
    // "Quickly" in steps, not milliseconds, so the test is deterministic: a search that wandered
    // exponentially would need far more than a few model steps per operation.
    expect(partitioned.searchSteps).toBeLessThan(5 * history.length);

    const whole = checkLinearizable(history, unpartitionedKeyValueModel);
    expectValidOrder(history, unpartitionedKeyValueModel, whole);
    expect(whole.searchSteps).toBeLessThan(25 * history.length);
  });

  test("one wrong answer in a long history makes it not linearizable", () => {
    const history = sequentialHistory({
      seed: 43,
      operations: 400,
      clients: 5,
      keys: 3,
      pendingChance: 0.03,
    });
    const middleGet = history.findIndex(
      (operation, index) => index > 200 && operation.input.kind === "get",
    );
    const original = history[middleGet]!;
    history[middleGet] = { ...original, output: { value: `${original.output?.value ?? ""}!` } };
    const result = checkLinearizable(history, keyValueModel);
    expect(result.linearizable).toBe(false);
    expect(result.linearizable === false && result.explanation).toContain(`#${middleGet} get(`);
  });

  test("the explanation prints the history and names the operation that cannot be placed", () => {
    const history = [
      put("a", "x", "1", 10, 20),
      put("b", "x", "2", 0, 5),
      get("c", "x", "2", 40, 55),
    ];
    const result = checkLinearizable(history, keyValueModel);
    expect(result.linearizable).toBe(false);
    if (result.linearizable !== false) return;
    expect(result.explanation).toBe(
      [
        "Not linearizable: no order of the operations both respects real time (an operation that returned before another was called must come first) and gives every client the answer it saw.",
        "",
        "History (each client issues one operation at a time):",
        "  client b:",
        '    #1 put(x, "2") -> ok  0–5ms',
        "  client a:",
        '    #0 put(x, "1") -> ok  10–20ms',
        "  client c:",
        '    #2 get(x) -> "2"      40–55ms',
        "",
        "Longest order the search could explain (2 of 3 operations; every other order fails here or sooner):",
        '  1. #1 put(x, "2") -> ok  0–5ms  then x = "2"',
        '  2. #0 put(x, "1") -> ok  10–20ms  then x = "1"',
        "",
        "No operation can come next:",
        '  #2 get(x) -> "2" at 40–55ms cannot be explained: after #0 put(x, "1") -> ok (10–20ms) the state is x = "1"',
      ].join("\n"),
    );
    // Deterministic: the same history always gets the same words.
    expect(checkLinearizable([...history], keyValueModel)).toEqual(result);
  });

  test("the explanation says which operations are blocked behind the ones that cannot be placed", () => {
    const history = [
      get("a", "x", "1", 0, 10),
      put("b", "x", "1", 20, 30),
      get("a", "x", "1", 40, 50),
    ];
    const result = checkLinearizable(history, keyValueModel);
    expect(result.linearizable).toBe(false);
    if (result.linearizable !== false) return;
    expect(result.explanation).toContain(
      "Not even the first operation of an order can be explained.",
    );
    expect(result.explanation).toContain(
      '#0 get(x) -> "1" at 0–10ms cannot be explained: it would have to come first, where the state is empty (every key reads "")',
    );
    expect(result.explanation).toContain(
      "The other 2 remaining operations were called after one of these returned",
    );
  });

  test("an exhausted search budget gives unknown, never a wrong verdict", () => {
    // Linearizable, but only with the puts in the opposite order to the one tried first.
    const linearizable = [
      put("a", "x", "1", 0, 10),
      put("b", "x", "2", 0, 10),
      get("c", "x", "1", 20, 30),
    ];
    const full = checkLinearizable(linearizable, keyValueModel);
    expectValidOrder(linearizable, keyValueModel, full);
    expect(full.searchSteps).toBeGreaterThan(3);
    expect(
      checkLinearizable(linearizable, keyValueModel, { searchStepsMax: full.searchSteps })
        .linearizable,
    ).toBe(true);
    for (let budget = 0; budget < full.searchSteps; budget++) {
      const starved = checkLinearizable(linearizable, keyValueModel, { searchStepsMax: budget });
      expect(starved.linearizable).toBe("unknown");
      expect(starved.searchSteps).toBe(budget);
    }

    const stale = [
      put("a", "x", "1", 0, 10),
      put("b", "x", "2", 0, 10),
      get("c", "x", "3", 20, 30),
    ];
    const refuted = checkLinearizable(stale, keyValueModel);
    expect(refuted.linearizable).toBe(false);
    const starved = checkLinearizable(stale, keyValueModel, {
      searchStepsMax: refuted.searchSteps - 1,
    });
    expect(starved.linearizable).toBe("unknown");
    expect(starved.linearizable === "unknown" && starved.explanation).toContain("searchStepsMax");
  });

  test("one part that is not linearizable decides the verdict even when another part ran out of budget", () => {
    // Key x needs backtracking; key y is refuted at once.
    const history = [
      put("a", "x", "1", 0, 10),
      put("b", "x", "2", 0, 10),
      get("c", "x", "1", 20, 30),
      get("d", "y", "never written", 0, 10),
    ];
    expect(checkLinearizable(history, keyValueModel, { searchStepsMax: 2 }).linearizable).toBe(
      false,
    );
  });

  test("a history whose operations return before they are called is rejected", () => {
    expect(() => checkLinearizable([put("a", "x", "1", 10, 5)], keyValueModel)).toThrow(RangeError);
  });
});

describe("linearizability checker with any model", () => {
  type RegisterInput =
    { kind: "read" } | { kind: "write"; value: number } | { kind: "cas"; from: number; to: number };
  type RegisterOutput = { value: number } | { swapped: boolean } | Record<string, never>;

  /** A single integer register with compare-and-swap, defined here to show the interface is generic. */
  const registerModel: Model<number, RegisterInput, RegisterOutput> = {
    init: () => 0,
    step(state, input, output) {
      switch (input.kind) {
        case "read":
          if (output !== undefined && (!("value" in output) || output.value !== state))
            return undefined;
          return state;
        case "write":
          return input.value;
        case "cas": {
          const swapped = state === input.from;
          if (output !== undefined && (!("swapped" in output) || output.swapped !== swapped))
            return undefined;
          return swapped ? input.to : state;
        }
      }
    },
    key: (state) => String(state),
  };

  const operation = (
    client: string,
    input: RegisterInput,
    output: RegisterOutput | undefined,
    callMs: number,
    returnMs: number,
  ): Operation<RegisterInput, RegisterOutput> => ({ client, input, output, callMs, returnMs });

  test("compare-and-swap races where exactly one client wins are linearizable", () => {
    const history = [
      operation("a", { kind: "cas", from: 0, to: 1 }, { swapped: true }, 0, 20),
      operation("b", { kind: "cas", from: 0, to: 2 }, { swapped: false }, 5, 15),
      operation("c", { kind: "read" }, { value: 1 }, 30, 40),
    ];
    expectValidOrder(history, registerModel, checkLinearizable(history, registerModel));
  });

  test("compare-and-swap races where both clients win are not linearizable", () => {
    const history = [
      operation("a", { kind: "cas", from: 0, to: 1 }, { swapped: true }, 0, 20),
      operation("b", { kind: "cas", from: 0, to: 2 }, { swapped: true }, 5, 15),
    ];
    const result = checkLinearizable(history, registerModel);
    expect(result.linearizable).toBe(false);
    // Without describe, the explanation falls back to printing the raw input and output.
    expect(result.linearizable === false && result.explanation).toContain(
      '{"kind":"cas","from":0,"to":2} -> {"swapped":true}',
    );
  });

  test("a stale read of a register is not linearizable", () => {
    const history = [
      operation("a", { kind: "write", value: 1 }, {}, 0, 10),
      operation("a", { kind: "write", value: 2 }, {}, 20, 30),
      operation("b", { kind: "read" }, { value: 1 }, 40, 50),
    ];
    expect(checkLinearizable(history, registerModel).linearizable).toBe(false);
  });

  test("an operation that never returned may be left out, even where the model could never run it", () => {
    /** A stock count that refuses to go below zero, whatever the client was told. */
    const stockModel: Model<number, "restock" | "take", Record<string, never>> = {
      init: () => 0,
      step: (state, input) => (input === "restock" ? state + 1 : state > 0 ? state - 1 : undefined),
      key: (state) => String(state),
    };
    const stock = (
      client: string,
      input: "restock" | "take",
      callMs: number,
      returnMs: number,
    ): Operation<"restock" | "take", Record<string, never>> => ({
      client,
      input,
      output: returnMs === Infinity ? undefined : {},
      callMs,
      returnMs,
    });
    // One restock, two takes whose replies were lost: at most one of them can have happened.
    const lostTake = [
      stock("a", "take", 0, Infinity),
      stock("c", "take", 0, Infinity),
      stock("b", "restock", 10, 20),
    ];
    const result = checkLinearizable(lostTake, stockModel);
    expectValidOrder(lostTake, stockModel, result);
    expect(result.linearizable === true && result.order).toEqual([2]);
    const acknowledgedTakes = [stock("a", "take", 0, 5), stock("b", "restock", 10, 20)];
    expect(checkLinearizable(acknowledgedTakes, stockModel).linearizable).toBe(false);
  });
});

describe("linearizability checker with client outcomes", () => {
  test("an operation that failed is left out: it cannot explain a read", () => {
    const failedPut = { ...put("a", "x", "1", 0, 10), outcome: "fail" as const };
    const history = [failedPut, get("b", "x", "1", 20, 30)];
    expect(
      checkLinearizable(history, keyValueModel).linearizable,
      "the put of 1 definitely did not happen, so nobody can read 1",
    ).toBe(false);
    const result = checkLinearizable([failedPut, get("b", "x", "", 20, 30)], keyValueModel);
    expect(
      result.linearizable === true && result.order,
      "the failed put is not in the order",
    ).toEqual([1]);
  });

  test("an operation whose outcome is unknown may take effect after its call, or never", () => {
    const timedOut = { ...put("a", "x", "1", 0, 10), outcome: "unknown" as const };
    // The client gave up at 10 ms, but the put may still take effect later, or never.
    const seen = [timedOut, get("b", "x", "", 20, 30), get("b", "x", "1", 40, 50)];
    const result = checkLinearizable(seen, keyValueModel);
    expect(
      result.linearizable === true && result.order,
      "the put takes effect between the two gets, after the client gave up on it",
    ).toEqual([1, 0, 2]);
    const never = [timedOut, get("b", "x", "", 20, 30)];
    expect(checkLinearizable(never, keyValueModel).linearizable).toBe(true);
    const before = [get("b", "x", "1", 0, 5), { ...timedOut, callMs: 10, returnMs: 20 }];
    expect(
      checkLinearizable(before, keyValueModel).linearizable,
      "an unknown put still cannot take effect before its call",
    ).toBe(false);
  });

  test("an operation marked ok is checked as before", () => {
    const history = [
      { ...put("a", "x", "1", 0, 10), outcome: "ok" as const },
      get("b", "x", "", 20, 30),
    ];
    expect(checkLinearizable(history, keyValueModel).linearizable).toBe(false);
  });
});
