/**
 * A linearizability checker: can every operation in a recorded history be given a single instant,
 * somewhere between its call and its return, such that running the operations one at a time in
 * that order on a sequential model produces exactly the answers the clients saw?
 *
 * The search is Wing and Gong's (1993): repeatedly pick an operation that may come next, apply it
 * to the model, and backtrack when the model disagrees with the recorded answer. Two later ideas
 * keep it fast enough for histories of hundreds of operations:
 * - Lowe ("Testing for linearizability", 2017) memoises every (set of operations linearized so
 *   far, model state) pair reached: reaching the same pair along a different path cannot succeed
 *   where the first visit failed, so it is skipped.
 * - Porcupine (Athalye) checks independent sub-histories, for example one per key, separately.
 *   Linearizability is local (Herlihy and Wing), so the whole history is linearizable exactly when
 *   every part is, and several small searches are exponentially cheaper than one large one.
 */

/** One client operation as a test recorded it, in true simulation time. */
export interface Operation<Input, Output> {
  /** Who issued it; a client issues one operation at a time. */
  client: string;
  input: Input;
  /** What the system answered; undefined when the client never heard back (then returnMs is Infinity). */
  output: Output | undefined;
  callMs: number;
  /** Infinity when the operation never returned: it may have taken effect at any time after its call, or never. */
  returnMs: number;
  /**
   * What the client knows of the outcome (see `ClientOutcome`). Left out, it is read from the
   * other fields: "unknown" when returnMs is Infinity, "ok" otherwise.
   */
  outcome?: ClientOutcome;
}

/**
 * What a client can say about an operation it issued, as Jepsen's histories do:
 * - "ok": it took effect, and `output` is what the system answered;
 * - "fail": it definitely did not take effect (the system said so: a refused write, an aborted
 *   transaction), so the checker leaves it out;
 * - "unknown": it may or may not have taken effect, at any time after its call (a timeout, a
 *   crash): the checker may place it anywhere after its call, or leave it out, and ignores its
 *   output.
 */
export type ClientOutcome = "ok" | "fail" | "unknown";

/** The sequential specification the history must be explainable by. */
export interface Model<State, Input, Output> {
  init(): State;
  /**
   * Applies input to state. Returns the next state if `output` is what a sequential system would
   * answer (or output is undefined: unknown), otherwise undefined. Must not mutate `state`: the
   * search keeps earlier states to backtrack to.
   */
  step(state: State, input: Input, output: Output | undefined): State | undefined;
  /** A stable string for a state, used to memoise the search. */
  key(state: State): string;
  /**
   * Optional: split a history into independent sub-histories (for example, one per key). Must
   * return the very operation objects it was given, each exactly once.
   */
  partition?(history: readonly Operation<Input, Output>[]): Operation<Input, Output>[][];
  /** Optional: how to print an operation in an explanation, e.g. `put(x, "1") -> ok`. */
  describe?(input: Input, output: Output | undefined): string;
  /** Optional: how to print a state in an explanation, e.g. `x = "1"`. */
  describeState?(state: State): string;
}

export type LinearizabilityResult =
  | {
      linearizable: true;
      /**
       * Indices into the history in a valid linearization order. An operation that never returned
       * (or whose outcome is unknown) is left out when the history is explained without it ever
       * taking effect; one that failed is always left out.
       */
      order: number[];
      /** How many times the search called `model.step`, summed over all sub-histories. */
      searchSteps: number;
    }
  | {
      linearizable: false;
      /** A learner-readable explanation. */
      explanation: string;
      searchSteps: number;
    }
  | {
      /** The search budget ran out before a verdict: this is not evidence either way. */
      linearizable: "unknown";
      explanation: string;
      searchSteps: number;
    };

export interface LinearizabilityOptions {
  /**
   * How many times the search may call `model.step` on each independent sub-history before it
   * gives up and answers "unknown".
   * @default 1_000_000
   */
  searchStepsMax?: number;
}

/**
 * Decides whether `history` is linearizable with respect to `model`.
 *
 * Operation A must come before operation B only when A returned strictly before B was called.
 * Intervals that merely touch (A returns at the same millisecond B is called) count as
 * concurrent: the simulation cannot order two events within one timestamp, so neither order is
 * ruled out.
 */
export function checkLinearizable<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
  options: LinearizabilityOptions = {},
): LinearizabilityResult {
  const searchStepsMax = options.searchStepsMax ?? 1_000_000;
  if (!(searchStepsMax >= 0)) {
    throw new RangeError(`searchStepsMax must be a number >= 0, got ${searchStepsMax}`);
  }
  validateHistory(history);
  const parts = partitionIndices(history, model)
    .map((part) => part.filter((index) => history[index]!.outcome !== "fail"))
    .filter((part) => part.length > 0);
  // An operation whose outcome is unknown is searched exactly like one that never returned.
  // Indices stay those of the caller's history, so orders and explanations refer to it.
  history = history.map((operation) =>
    operation.outcome === "unknown"
      ? { ...operation, output: undefined, returnMs: Infinity }
      : operation,
  );

  const orders: number[][] = [];
  let searchSteps = 0;
  let unknownExplanation: string | undefined;
  for (const part of parts) {
    const outcome = searchPart(history, part, model, searchStepsMax);
    searchSteps += outcome.searchSteps;
    switch (outcome.kind) {
      case "linearizable":
        orders.push(outcome.order);
        break;
      case "not-linearizable":
        // One part that cannot be explained condemns the whole history, whatever the others say.
        return {
          linearizable: false,
          explanation: explainFailure(history, part, parts.length, model, outcome.deepest),
          searchSteps,
        };
      case "unknown":
        // Keep going: a later part may still prove the history non-linearizable.
        unknownExplanation ??= explainUnknown(history, part, parts.length, model, outcome);
        break;
    }
  }
  if (unknownExplanation !== undefined) {
    return { linearizable: "unknown", explanation: unknownExplanation, searchSteps };
  }
  return { linearizable: true, order: mergeOrders(history, orders), searchSteps };
}

function validateHistory(history: readonly Operation<unknown, unknown>[]): void {
  history.forEach((operation, index) => {
    if (!Number.isFinite(operation.callMs)) {
      throw new RangeError(
        `Operation #${index} has callMs ${operation.callMs}; expected a finite time`,
      );
    }
    if (Number.isNaN(operation.returnMs) || operation.returnMs < operation.callMs) {
      throw new RangeError(
        `Operation #${index} returns at ${operation.returnMs}ms, before its call at ${operation.callMs}ms`,
      );
    }
  });
}

/** The history split into independent parts, each as indices into the history in call order. */
function partitionIndices<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  model: Model<State, Input, Output>,
): number[][] {
  const allIndices = history.map((_, index) => index);
  if (model.partition === undefined) return history.length === 0 ? [] : [allIndices];

  // Indices are recovered by identity; a queue per object copes with one object recorded twice.
  const indicesOf = new Map<Operation<Input, Output>, number[]>();
  history.forEach((operation, index) => {
    const indices = indicesOf.get(operation);
    if (indices === undefined) indicesOf.set(operation, [index]);
    else indices.push(index);
  });
  const parts: number[][] = [];
  let covered = 0;
  for (const group of model.partition(history)) {
    const part = group.map((operation) => {
      const index = indicesOf.get(operation)?.shift();
      if (index === undefined) {
        throw new Error(
          "model.partition returned an operation that is not in the history (or returned one twice); it must return the very objects it was given",
        );
      }
      return index;
    });
    covered += part.length;
    if (part.length > 0) parts.push(part);
  }
  if (covered !== history.length) {
    throw new Error(
      `model.partition covered ${covered} of ${history.length} operations; every operation must be in exactly one part`,
    );
  }
  return parts;
}

type SearchOutcome =
  | { kind: "linearizable"; order: number[]; searchSteps: number }
  | { kind: "not-linearizable"; deepest: number[]; searchSteps: number }
  | { kind: "unknown"; deepest: number[]; searchSteps: number };

/** One operation the search has tentatively linearized, and what to restore on backtracking. */
interface Frame<State> {
  position: number;
  stateBefore: State;
  returnMinBefore: number;
  firstOpenBefore: number;
}

/**
 * Depth-first search for a linearization of one part. Works on positions into `calls` (the part's
 * history indices sorted by call time) and returns history indices.
 */
function searchPart<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  part: readonly number[],
  model: Model<State, Input, Output>,
  searchStepsMax: number,
): SearchOutcome {
  const calls = sortByCall(history, part);
  const count = calls.length;
  const operations = calls.map((index) => history[index]!);
  // Ties in return time are broken by position so that the search order never depends on sort stability.
  const byReturn = operations
    .map((_, position) => position)
    .sort(
      (left, right) => operations[left]!.returnMs - operations[right]!.returnMs || left - right,
    );

  const linearized = new Uint8Array(count);
  const bits = new Uint32Array(Math.ceil(count / 32));
  const setBit = (position: number, on: boolean): void => {
    linearized[position] = on ? 1 : 0;
    const mask = 1 << (position % 32);
    const word = position >>> 5;
    bits[word] = on ? bits[word]! | mask : bits[word]! & ~mask;
  };
  // An operation that never returned may never have taken effect, so success does not need it.
  const isRequired = (position: number): boolean => operations[position]!.returnMs !== Infinity;

  // The earliest return among operations not yet linearized: anything called after it must wait,
  // because that operation finished first in real time and so must be linearized first.
  const computeReturnMin = (): number => {
    for (const position of byReturn) {
      if (linearized[position] === 0) return operations[position]!.returnMs;
    }
    return Infinity;
  };
  const computeFirstOpen = (): number => {
    let position = 0;
    while (position < count && linearized[position] === 1) position++;
    return position;
  };

  let state = model.init();
  let requiredLeft = operations.filter((_, position) => isRequired(position)).length;
  let returnMin = computeReturnMin();
  let firstOpen = 0;
  let cursor = 0;
  let searchSteps = 0;
  let deepest: number[] = [];
  const path: Frame<State>[] = [];
  const seen = new Set<string>();
  const toHistory = (positions: readonly number[]): number[] =>
    positions.map((position) => calls[position]!);

  for (;;) {
    if (requiredLeft === 0) {
      return {
        kind: "linearizable",
        order: toHistory(path.map((frame) => frame.position)),
        searchSteps,
      };
    }

    let candidate = -1;
    for (let position = Math.max(cursor, firstOpen); position < count; position++) {
      if (operations[position]!.callMs > returnMin) break;
      if (linearized[position] === 0) {
        candidate = position;
        break;
      }
    }

    if (candidate === -1) {
      const frame = path.pop();
      if (frame === undefined)
        return { kind: "not-linearizable", deepest: toHistory(deepest), searchSteps };
      setBit(frame.position, false);
      if (isRequired(frame.position)) requiredLeft++;
      state = frame.stateBefore;
      returnMin = frame.returnMinBefore;
      firstOpen = frame.firstOpenBefore;
      cursor = frame.position + 1;
      continue;
    }

    if (searchSteps >= searchStepsMax)
      return { kind: "unknown", deepest: toHistory(deepest), searchSteps };
    searchSteps++;
    cursor = candidate + 1;
    const operation = operations[candidate]!;
    const next = model.step(state, operation.input, operation.output);
    if (next === undefined) continue;

    setBit(candidate, true);
    const memoKey = `${bits.join(",")}|${model.key(next)}`;
    if (seen.has(memoKey)) {
      setBit(candidate, false);
      continue;
    }
    seen.add(memoKey);
    path.push({
      position: candidate,
      stateBefore: state,
      returnMinBefore: returnMin,
      firstOpenBefore: firstOpen,
    });
    if (isRequired(candidate)) requiredLeft--;
    state = next;
    returnMin = computeReturnMin();
    firstOpen = computeFirstOpen();
    cursor = 0;
    if (path.length > deepest.length) deepest = path.map((frame) => frame.position);
  }
}

function sortByCall(
  history: readonly Operation<unknown, unknown>[],
  indices: readonly number[],
): number[] {
  return [...indices].sort(
    (left, right) => history[left]!.callMs - history[right]!.callMs || left - right,
  );
}

/**
 * Interleaves the parts' linearizations into one order for the whole history. Each step takes the
 * earliest-called head of a part that no unplaced operation finished before; locality guarantees
 * one always exists.
 */
function mergeOrders(
  history: readonly Operation<unknown, unknown>[],
  orders: readonly number[][],
): number[] {
  if (orders.length === 1) return [...orders[0]!];
  const heads = orders.map(() => 0);
  const placed = new Set<number>();
  const included = orders.flat();
  const merged: number[] = [];
  while (merged.length < included.length) {
    let returnMin = Infinity;
    for (const index of included) {
      if (!placed.has(index)) returnMin = Math.min(returnMin, history[index]!.returnMs);
    }
    let chosen = -1;
    orders.forEach((order, part) => {
      const index = order[heads[part]!];
      if (index === undefined || history[index]!.callMs > returnMin) return;
      if (
        chosen === -1 ||
        history[index]!.callMs < history[orders[chosen]![heads[chosen]!]!]!.callMs
      ) {
        chosen = part;
      }
    });
    if (chosen === -1)
      throw new Error("Internal error: the parts' linearizations cannot be interleaved");
    const index = orders[chosen]![heads[chosen]!]!;
    heads[chosen]!++;
    placed.add(index);
    merged.push(index);
  }
  return merged;
}

// ----- Explanations -----

function describeOperation<State, Input, Output>(
  model: Model<State, Input, Output>,
  operation: Operation<Input, Output>,
): string {
  if (model.describe !== undefined) return model.describe(operation.input, operation.output);
  const output = operation.output === undefined ? "?" : JSON.stringify(operation.output);
  return `${JSON.stringify(operation.input)} -> ${output}`;
}

function formatInterval(operation: Operation<unknown, unknown>): string {
  return operation.returnMs === Infinity
    ? `${operation.callMs}ms–(no reply)`
    : `${operation.callMs}–${operation.returnMs}ms`;
}

/** Pads the first column of each row so the second column lines up. */
function table(rows: readonly [string, string][], indent: string): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length));
  return rows.map(([left, right]) => `${indent}${left.padEnd(width)}  ${right}`.trimEnd());
}

function formatHistory<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  part: readonly number[],
  partCount: number,
  model: Model<State, Input, Output>,
): string[] {
  const byClient = new Map<string, number[]>();
  // Clients appear in the order of their first call, so the printout reads roughly top to bottom in time.
  for (const index of sortByCall(history, part)) {
    const client = history[index]!.client;
    const indices = byClient.get(client);
    if (indices === undefined) byClient.set(client, [index]);
    else indices.push(index);
  }
  const heading =
    partCount > 1
      ? `History of one independent part (${part.length} of ${history.length} operations; the model splits the history into ${partCount} parts, checked separately):`
      : "History (each client issues one operation at a time):";
  const lines = [heading];
  const rows: [string, string][] = [];
  const clientOfRow: string[] = [];
  for (const [client, indices] of byClient) {
    for (const index of indices) {
      rows.push([
        `#${index} ${describeOperation(model, history[index]!)}`,
        formatInterval(history[index]!),
      ]);
      clientOfRow.push(client);
    }
  }
  const formatted = table(rows, "    ");
  formatted.forEach((row, rowIndex) => {
    if (rowIndex === 0 || clientOfRow[rowIndex] !== clientOfRow[rowIndex - 1]) {
      lines.push(`  client ${clientOfRow[rowIndex]}:`);
    }
    lines.push(row);
  });
  return lines;
}

function explainFailure<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  part: readonly number[],
  partCount: number,
  model: Model<State, Input, Output>,
  deepest: readonly number[],
): string {
  const lines = [
    "Not linearizable: no order of the operations both respects real time (an operation that returned before another was called must come first) and gives every client the answer it saw.",
    "",
    ...formatHistory(history, part, partCount, model),
    "",
  ];

  // Replaying the prefix outside the search keeps the explanation independent of search internals.
  let state = model.init();
  const prefixRows: [string, string][] = [];
  for (const [step, index] of deepest.entries()) {
    const operation = history[index]!;
    const next = model.step(state, operation.input, operation.output);
    if (next === undefined) throw new Error("Internal error: the explained prefix does not replay");
    state = next;
    const after = model.describeState === undefined ? "" : `  then ${model.describeState(state)}`;
    prefixRows.push([
      `${step + 1}. #${index} ${describeOperation(model, operation)}`,
      `${formatInterval(operation)}${after}`,
    ]);
  }
  if (deepest.length === 0) {
    lines.push("Not even the first operation of an order can be explained.");
  } else {
    lines.push(
      `Longest order the search could explain (${deepest.length} of ${part.length} operations; every other order fails here or sooner):`,
      ...table(prefixRows, "  "),
    );
  }
  lines.push("");

  const done = new Set(deepest);
  const remaining = part.filter((index) => !done.has(index));
  const returnMin = Math.min(...remaining.map((index) => history[index]!.returnMs));
  const candidates = sortByCall(history, remaining).filter(
    (index) => history[index]!.callMs <= returnMin,
  );
  const last = deepest.length === 0 ? undefined : history[deepest[deepest.length - 1]!]!;
  const where =
    last === undefined
      ? `it would have to come first, where the state is ${model.describeState?.(state) ?? "the initial one"}`
      : `after #${deepest[deepest.length - 1]} ${describeOperation(model, last)} (${formatInterval(last)}) ` +
        (model.describeState === undefined
          ? "no sequential execution gives that answer"
          : `the state is ${model.describeState(state)}`);
  lines.push(deepest.length === 0 ? "No operation can come first:" : "No operation can come next:");
  for (const index of candidates) {
    const operation = history[index]!;
    const head = `  #${index} ${describeOperation(model, operation)} at ${formatInterval(operation)}`;
    if (model.step(state, operation.input, operation.output) === undefined) {
      lines.push(`${head} cannot be explained: ${where}`);
    } else {
      lines.push(`${head} fits here, but every order that continues from it fails later`);
    }
  }
  const blocked = remaining.length - candidates.length;
  if (blocked > 0) {
    lines.push(
      `The other ${blocked} remaining operation${blocked === 1 ? " was" : "s were"} called after one of these returned, so cannot come next either.`,
    );
  }
  return lines.join("\n");
}

function explainUnknown<State, Input, Output>(
  history: readonly Operation<Input, Output>[],
  part: readonly number[],
  partCount: number,
  model: Model<State, Input, Output>,
  outcome: { deepest: readonly number[]; searchSteps: number },
): string {
  const where = partCount > 1 ? ` on an independent part of ${part.length} operations` : "";
  return [
    `Unknown: the search gave up after ${outcome.searchSteps} steps${where} (searchStepsMax) without a verdict. ` +
      `The longest order it explained covers ${outcome.deepest.length} of ${part.length} operations. ` +
      "This is no evidence either way: raise searchStepsMax, or record a shorter history or one with fewer clients running at once.",
    "",
    ...formatHistory(history, part, partCount, model),
  ].join("\n");
}
