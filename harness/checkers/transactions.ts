import type { ClientOutcome } from "./linearizability.js";

/**
 * A serializability checker for small histories of transactions over keys, which names the
 * anomaly when a history is not serializable, in Adya's terms ("Weak Consistency", 1999).
 *
 * Every value is written at most once to a key, so a read says exactly which transaction's write
 * it saw (the write-read dependencies). What a history does not show is the order in which the
 * writes to each key were installed (the version order); the checker tries every version order
 * (or uses the one given), and the history is serializable exactly when, for some version order,
 * its direct serialization graph has no cycle. Its edges, for transactions T and U:
 * - ww: T installed a version of a key and U installed the next one;
 * - wr: U read a version T installed;
 * - rw: T read a version of a key and U installed the next one (an anti-dependency: U overwrote
 *   what T saw).
 * A topological order of an acyclic graph is a serial order in which every read sees the value it
 * saw, so the verdict is exact, not inferred. The cost is the product over keys of the number of
 * orders of their writers: fine for the small histories tests record, and bounded by
 * `versionOrdersMax` (beyond it the answer is "unknown", never a guess).
 */

export type Value = string | number | null;

export type TransactionOperation =
  { kind: "read"; key: string; value: Value } | { kind: "write"; key: string; value: Value };

/** One transaction as a client recorded it: its operations in order, and its outcome. */
export interface TransactionRecord {
  id: string;
  /** ok: committed; fail: aborted; unknown: the client does not know (its reads are not used). */
  outcome: ClientOutcome;
  operations: TransactionOperation[];
}

/** Adya's names, plus two that no version order can explain. */
export type AnomalyCode =
  /** A read of a value no transaction wrote (and that is not the key's initial value). */
  | "garbage read"
  /** A transaction read a key after writing it, and did not see its own write. */
  | "internal inconsistency"
  /** A cycle of write-write dependencies only: writes interleaved (possible under read uncommitted). */
  | "G0"
  /** A committed transaction read a value written by an aborted one. */
  | "G1a"
  /** A committed transaction read a value that its writer later overwrote (not its final write). */
  | "G1b"
  /** A cycle of write-write and write-read dependencies: circular information flow. */
  | "G1c"
  /** A cycle with exactly one anti-dependency: read skew, and lost update. */
  | "G-single"
  /** A cycle with two or more anti-dependencies: write skew. */
  | "G2";

export type SerializabilityResult =
  | {
      serializable: true;
      /** Committed (and read-from unknown) transactions in an order that explains every read. */
      order: string[];
    }
  | {
      serializable: false;
      anomaly: AnomalyCode;
      /** The anomaly in plain words: "aborted read", "lost update", "write skew"… */
      name: string;
      /** The transactions involved. */
      transactions: string[];
      explanation: string;
    }
  | { serializable: "unknown"; explanation: string };

export interface SerializabilityOptions {
  /** Each key's value before any transaction; a key not listed starts as null. */
  initial?: Record<string, Value>;
  /**
   * The order in which a key's versions were installed, when the store can tell (values of
   * committed writes, oldest first). Without it, every order is tried.
   */
  versionOrder?: Record<string, Value[]>;
  /** @default 100_000 */
  versionOrdersMax?: number;
}

type EdgeKind = "ww" | "wr" | "rw";
interface Edge {
  from: string;
  to: string;
  kind: EdgeKind;
  key: string;
  why: string;
}

const show = (value: Value): string => JSON.stringify(value);

/** Decides whether `history` is serializable; see the file comment for how. */
export function checkSerializable(
  history: readonly TransactionRecord[],
  options: SerializabilityOptions = {},
): SerializabilityResult {
  const initial = (key: string): Value => options.initial?.[key] ?? null;
  const byId = new Map<string, TransactionRecord>();
  for (const transaction of history) {
    if (byId.has(transaction.id))
      throw new RangeError(`Transaction id ${transaction.id} appears twice in the history`);
    byId.set(transaction.id, transaction);
  }

  // Who wrote each (key, value), and whether it was that transaction's last write to the key.
  const writers = new Map<string, { transaction: string; final: boolean }>();
  const cell = (key: string, value: Value): string => JSON.stringify([key, value]);
  for (const transaction of history) {
    const last = new Map<string, number>();
    transaction.operations.forEach((operation, index) => {
      if (operation.kind === "write") last.set(operation.key, index);
    });
    transaction.operations.forEach((operation, index) => {
      if (operation.kind !== "write") return;
      const id = cell(operation.key, operation.value);
      if (writers.has(id) || operation.value === initial(operation.key))
        throw new RangeError(
          `${show(operation.value)} is written to ${operation.key} more than once (or is its initial value): the checker needs every write to a key to be unique`,
        );
      writers.set(id, { transaction: transaction.id, final: last.get(operation.key) === index });
    });
  }

  // The transactions that count: every committed one, and every unknown one a committed
  // transaction read from (it must have committed). Only committed transactions' reads are known.
  const included = new Set(history.filter((each) => each.outcome === "ok").map((each) => each.id));
  for (const transaction of history) {
    if (transaction.outcome !== "ok") continue;
    for (const operation of transaction.operations) {
      if (operation.kind !== "read") continue;
      const writer = writers.get(cell(operation.key, operation.value));
      if (writer !== undefined && byId.get(writer.transaction)!.outcome === "unknown")
        included.add(writer.transaction);
    }
  }

  // External reads, checked one by one against what could have been written.
  const reads: Array<{ reader: string; key: string; value: Value; writer: string | undefined }> =
    [];
  for (const transaction of history) {
    if (transaction.outcome !== "ok") continue;
    const own = new Map<string, Value>();
    for (const operation of transaction.operations) {
      if (operation.kind === "write") {
        own.set(operation.key, operation.value);
        continue;
      }
      const { key, value } = operation;
      if (own.has(key)) {
        if (own.get(key) !== value)
          return failure(
            "internal inconsistency",
            "a transaction that does not see its own writes",
            [transaction.id],
            `${transaction.id} wrote ${key}=${show(own.get(key)!)} and then read ${key}=${show(value)}: a transaction must see its own writes`,
          );
        continue;
      }
      if (value === initial(key)) {
        reads.push({ reader: transaction.id, key, value, writer: undefined });
        continue;
      }
      const writer = writers.get(cell(key, value));
      if (writer === undefined)
        return failure(
          "garbage read",
          "a read of a value nobody wrote",
          [transaction.id],
          `${transaction.id} read ${key}=${show(value)}, but no transaction wrote ${show(value)} to ${key} (and it is not ${key}'s initial value ${show(initial(key))})`,
        );
      if (byId.get(writer.transaction)!.outcome === "fail")
        return failure(
          "G1a",
          "aborted read",
          [writer.transaction, transaction.id],
          `${transaction.id} read ${key}=${show(value)} written by ${writer.transaction}, but ${writer.transaction} aborted: an aborted read, G1a`,
        );
      if (!writer.final)
        return failure(
          "G1b",
          "intermediate read",
          [writer.transaction, transaction.id],
          `${transaction.id} read ${key}=${show(value)} written by ${writer.transaction}, but ${writer.transaction} later wrote ${key} again: ${show(value)} was never a committed value, an intermediate read, G1b`,
        );
      reads.push({ reader: transaction.id, key, value, writer: writer.transaction });
    }
  }

  // Each key's installed versions: the final write of every included transaction that wrote it.
  const versions = new Map<string, Array<{ transaction: string; value: Value }>>();
  for (const transaction of history) {
    if (!included.has(transaction.id)) continue;
    const last = new Map<string, Value>();
    for (const operation of transaction.operations)
      if (operation.kind === "write") last.set(operation.key, operation.value);
    for (const [key, value] of last) {
      const list = versions.get(key) ?? [];
      list.push({ transaction: transaction.id, value });
      versions.set(key, list);
    }
  }
  const keys = [...versions.keys()].sort();
  const versionOrdersMax = options.versionOrdersMax ?? 100_000;
  const choices: Array<Array<Array<{ transaction: string; value: Value }>>> = [];
  let combinations = 1;
  for (const key of keys) {
    const written = versions.get(key)!;
    const given = options.versionOrder?.[key];
    if (given !== undefined) {
      const order = given
        .map((value) => written.find((version) => version.value === value))
        .filter((version) => version !== undefined);
      if (order.length !== written.length)
        throw new RangeError(
          `versionOrder for ${key} lists ${given.map(show).join(", ")}, but the committed writes to ${key} are ${written.map((version) => show(version.value)).join(", ")}`,
        );
      choices.push([order]);
      continue;
    }
    for (let count = 2; count <= written.length; count++) combinations *= count;
    // Counted before they are built: a key with many blind writes has too many orders to list.
    choices.push(combinations > versionOrdersMax ? [] : permutations(written));
  }
  if (combinations > versionOrdersMax)
    return {
      serializable: "unknown",
      explanation: `Unknown: ${combinations} version orders to try, more than versionOrdersMax (${versionOrdersMax}). Record fewer writes per key, or pass the store's versionOrder.`,
    };

  const nodes = [...included].sort();
  let best: { severity: number; cycle: Edge[]; anomaly: AnomalyCode } | undefined;
  const indices = keys.map(() => 0);
  for (let tried = 0; tried < combinations; tried++) {
    const edges = graphFor(
      keys,
      keys.map((_, position) => choices[position]![indices[position]!]!),
      reads,
    );
    const found = worstCycle(edges);
    if (found === undefined) return { serializable: true, order: topologicalOrder(nodes, edges) };
    if (best === undefined || found.severity < best.severity) best = found;
    // The next combination, like an odometer.
    for (let position = 0; position < indices.length; position++) {
      indices[position]!++;
      if (indices[position]! < choices[position]!.length) break;
      indices[position] = 0;
    }
  }
  // Every version order has a cycle; the least severe one is the anomaly the history must have.
  const { cycle, anomaly } = best!;
  const involved = [...new Set(cycle.map((edge) => edge.from))];
  const name = nameOf(anomaly, cycle, reads);
  const what: Record<string, string> = {
    G0: "a cycle of writes alone: G0, possible only when writes interleave (read uncommitted)",
    G1c: "a cycle of write and read dependencies: circular information flow, G1c",
    "G-single": `a cycle with exactly one anti-dependency: ${name}, G-single`,
    G2: `a cycle with two or more anti-dependencies: ${name}, G2`,
  };
  return failure(
    anomaly,
    name,
    involved,
    [
      `Not serializable: whatever order the writes to each key were installed in, the transactions depend on each other in a cycle. The ${keys.length === 0 ? "" : "least severe "}cycle is ${what[anomaly]}:`,
      ...cycle.map((edge) => `  ${edge.from} → ${edge.to} (${edge.kind}): ${edge.why}`),
    ].join("\n"),
  );
}

function failure(
  anomaly: AnomalyCode,
  name: string,
  transactions: string[],
  explanation: string,
): SerializabilityResult {
  return { serializable: false, anomaly, name, transactions, explanation };
}

function permutations<Item>(items: readonly Item[]): Item[][] {
  if (items.length <= 1) return [[...items]];
  const result: Item[][] = [];
  items.forEach((item, index) => {
    const rest = [...items.slice(0, index), ...items.slice(index + 1)];
    for (const tail of permutations(rest)) result.push([item, ...tail]);
  });
  return result;
}

/** The direct serialization graph for one version order of every key. */
function graphFor(
  keys: readonly string[],
  orders: ReadonlyArray<ReadonlyArray<{ transaction: string; value: Value }>>,
  reads: ReadonlyArray<{ reader: string; key: string; value: Value; writer: string | undefined }>,
): Edge[] {
  const edges: Edge[] = [];
  const positionOf = new Map<string, Map<string | undefined, number>>();
  keys.forEach((key, index) => {
    const order = orders[index]!;
    const positions = new Map<string | undefined, number>([[undefined, -1]]);
    order.forEach((version, position) => {
      positions.set(version.transaction, position);
      const next = order[position + 1];
      if (next !== undefined)
        edges.push({
          from: version.transaction,
          to: next.transaction,
          kind: "ww",
          key,
          why: `${next.transaction} overwrote ${key}=${show(version.value)} with ${show(next.value)}`,
        });
    });
    positionOf.set(key, positions);
  });
  for (const read of reads) {
    if (read.writer !== undefined && read.writer !== read.reader)
      edges.push({
        from: read.writer,
        to: read.reader,
        kind: "wr",
        key: read.key,
        why: `${read.reader} read ${read.key}=${show(read.value)} written by ${read.writer}`,
      });
    const order = orders[keys.indexOf(read.key)];
    if (order === undefined) continue; // nobody committed a write to this key
    const position = positionOf.get(read.key)!.get(read.writer)!;
    const next = order[position + 1];
    if (next !== undefined && next.transaction !== read.reader)
      edges.push({
        from: read.reader,
        to: next.transaction,
        kind: "rw",
        key: read.key,
        why: `${read.reader} read ${read.key}=${show(read.value)}, which ${next.transaction} overwrote with ${show(next.value)}`,
      });
  }
  return edges;
}

/** Each node's outgoing edges. */
function adjacency(edges: readonly Edge[]): Map<string, Edge[]> {
  const outgoing = new Map<string, Edge[]>();
  for (const edge of edges) {
    const list = outgoing.get(edge.from);
    if (list === undefined) outgoing.set(edge.from, [edge]);
    else list.push(edge);
  }
  return outgoing;
}

/** A path from `source` to `target`, shortest first, or undefined. */
function path(
  source: string,
  target: string,
  outgoing: ReadonlyMap<string, readonly Edge[]>,
): Edge[] | undefined {
  const cameBy = new Map<string, Edge | null>([[source, null]]);
  const queue = [source];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    if (node === target) {
      const result: Edge[] = [];
      for (let step = cameBy.get(node); step !== null && step !== undefined;) {
        result.unshift(step);
        step = cameBy.get(step.from);
      }
      return result;
    }
    for (const edge of outgoing.get(node) ?? []) {
      if (!cameBy.has(edge.to)) {
        cameBy.set(edge.to, edge);
        queue.push(edge.to);
      }
    }
  }
  return undefined;
}

/** Whether `edges` contain a cycle (Kahn's algorithm: linear in the size of the graph). */
function hasCycle(edges: readonly Edge[]): boolean {
  const nodes = new Set(edges.flatMap((edge) => [edge.from, edge.to]));
  return topologicalOrder([...nodes], edges).length < nodes.size;
}

/** The shortest cycle over `edges`, or undefined. */
function cycleIn(edges: readonly Edge[]): Edge[] | undefined {
  if (!hasCycle(edges)) return undefined;
  const outgoing = adjacency(edges);
  let shortest: Edge[] | undefined;
  for (const edge of edges) {
    const back = edge.from === edge.to ? [] : path(edge.to, edge.from, outgoing);
    if (back === undefined) continue;
    const cycle = [edge, ...back];
    if (shortest === undefined || cycle.length < shortest.length) shortest = cycle;
  }
  return shortest;
}

/** The most severe kind of cycle in the graph (G0 first), or undefined when it is acyclic. */
function worstCycle(
  edges: readonly Edge[],
): { severity: number; cycle: Edge[]; anomaly: AnomalyCode } | undefined {
  if (!hasCycle(edges)) return undefined;
  const writes = edges.filter((edge) => edge.kind === "ww");
  const g0 = cycleIn(writes);
  if (g0 !== undefined) return { severity: 4, cycle: g0, anomaly: "G0" };
  const dependencies = edges.filter((edge) => edge.kind !== "rw");
  const g1c = cycleIn(dependencies);
  if (g1c !== undefined) return { severity: 3, cycle: g1c, anomaly: "G1c" };
  const outgoing = adjacency(dependencies);
  for (const edge of edges) {
    if (edge.kind !== "rw") continue;
    const back = path(edge.to, edge.from, outgoing);
    if (back !== undefined) return { severity: 2, cycle: [edge, ...back], anomaly: "G-single" };
  }
  return { severity: 1, cycle: cycleIn(edges)!, anomaly: "G2" };
}

function topologicalOrder(nodes: readonly string[], edges: readonly Edge[]): string[] {
  const incoming = new Map(nodes.map((node) => [node, 0]));
  for (const edge of edges) incoming.set(edge.to, (incoming.get(edge.to) ?? 0) + 1);
  const outgoing = adjacency(edges);
  const order: string[] = [];
  const ready = nodes.filter((node) => incoming.get(node) === 0);
  for (let head = 0; head < ready.length; head++) {
    const node = ready[head]!;
    order.push(node);
    for (const edge of outgoing.get(node) ?? []) {
      incoming.set(edge.to, incoming.get(edge.to)! - 1);
      if (incoming.get(edge.to) === 0) ready.push(edge.to);
    }
  }
  return order;
}

/** Plain words for a cycle: the two classic shapes get their own names. */
function nameOf(
  anomaly: AnomalyCode,
  cycle: readonly Edge[],
  reads: ReadonlyArray<{ reader: string; key: string; value: Value; writer: string | undefined }>,
): string {
  if (anomaly === "G0") return "write cycle";
  if (anomaly === "G1c") return "circular information flow";
  const members = new Set(cycle.map((edge) => edge.from));
  if (anomaly === "G-single") {
    // Lost update: two transactions read the same version of a key and both overwrote it.
    if (members.size === 2) {
      const [first, second] = [...members] as [string, string];
      const lost = reads.some((one) =>
        reads.some(
          (other) =>
            one.reader === first &&
            other.reader === second &&
            one.key === other.key &&
            one.writer === other.writer &&
            cycle.some((edge) => edge.kind === "ww" && edge.key === one.key),
        ),
      );
      if (lost) return "lost update";
    }
    return "read skew";
  }
  const antiDependencies = cycle.filter((edge) => edge.kind === "rw").length;
  if (members.size === 2 && antiDependencies === 2) return "write skew";
  return "anti-dependency cycle";
}
