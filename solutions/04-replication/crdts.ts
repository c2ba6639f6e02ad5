import type { NodeId } from "../../harness/index.js";

/**
 * Exercise 4.3 — multi-leader replication: version vectors, siblings and CRDTs. Every replica
 * accepts writes, and replicas exchange whole states. Two ways to make that converge:
 * - keep concurrent writes side by side as siblings, ordered by version vectors, until a write
 *   that has seen them all replaces them (Dynamo's shopping cart, Riak's siblings);
 * - use data types whose merge is commutative, associative and idempotent (CRDTs), so that
 *   replicas that have seen the same updates have the same state, in whatever order and however
 *   often the states arrived.
 */

/** How many updates from each node a version has seen; a missing node counts as 0. */
export type VersionVector = Readonly<Record<NodeId, number>>;

/** How version `a` relates to version `b`. */
export type Ordering = "before" | "after" | "equal" | "concurrent";

/**
 * "before": every entry of a is <= b's and one is smaller (b has seen all a has, and more);
 * "concurrent": each has seen an update the other has not. Entries compare one by one: there is
 * no total order of version vectors.
 */
export function compareVersions(a: VersionVector, b: VersionVector): Ordering {
  let aBigger = false;
  let bBigger = false;
  for (const node of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const left = a[node] ?? 0;
    const right = b[node] ?? 0;
    if (left > right) aBigger = true;
    if (right > left) bBigger = true;
  }
  if (aBigger && bBigger) return "concurrent";
  if (aBigger) return "after";
  if (bBigger) return "before";
  return "equal";
}

/** The smallest version that has seen everything `a` and `b` have: entry by entry, the max. */
export function mergeVersions(a: VersionVector, b: VersionVector): VersionVector {
  const merged: Record<NodeId, number> = { ...a };
  for (const [node, count] of Object.entries(b)) merged[node] = Math.max(merged[node] ?? 0, count);
  return merged;
}

/** One of the values a register holds, with the version that wrote it. */
export interface Sibling {
  value: string;
  clock: VersionVector;
}

/**
 * A multi-value register: it keeps every write that no other write has seen. A read returns all
 * of them and a context (their merged version); a write made with that context has seen them
 * and replaces them.
 */
export class SiblingRegister {
  #siblings: Sibling[];

  constructor(siblings: readonly Sibling[] = []) {
    this.#siblings = [];
    this.merge(siblings);
  }

  /** The siblings, as plain data (what a replica sends another). */
  get siblings(): readonly Sibling[] {
    return this.#siblings;
  }

  /** Every sibling's value, sorted, and the context a write that replaces them all should carry. */
  read(): { values: string[]; context: VersionVector } {
    return {
      values: this.#siblings.map((sibling) => sibling.value).sort(),
      context: this.#siblings.reduce<VersionVector>(
        (context, sibling) => mergeVersions(context, sibling.clock),
        {},
      ),
    };
  }

  /**
   * `node` writes `value`, having read `context`. The new version is the context plus one more
   * update from `node`, counted past any update of `node`'s this register holds, so that two
   * writes through the same node are never mistaken for one.
   */
  write(node: NodeId, value: string, context: VersionVector): void {
    const seen = Math.max(
      context[node] ?? 0,
      ...this.#siblings.map((sibling) => sibling.clock[node] ?? 0),
    );
    const clock = { ...context, [node]: seen + 1 };
    this.merge([{ value, clock }]);
  }

  /** Keeps every sibling of both that no other sibling descends from. */
  merge(other: readonly Sibling[]): void {
    const all = [...this.#siblings, ...other];
    const kept: Sibling[] = [];
    for (const candidate of all) {
      const superseded = all.some(
        (another) => compareVersions(candidate.clock, another.clock) === "before",
      );
      const duplicate = kept.some(
        (sibling) => compareVersions(sibling.clock, candidate.clock) === "equal",
      );
      if (!superseded && !duplicate)
        kept.push({ value: candidate.value, clock: { ...candidate.clock } });
    }
    this.#siblings = kept;
  }
}

/** A grow-only counter: one count per node, each only ever incremented by that node. */
export class GCounter {
  #counts: Record<NodeId, number>;

  constructor(counts: Readonly<Record<NodeId, number>> = {}) {
    this.#counts = { ...counts };
  }

  get counts(): Readonly<Record<NodeId, number>> {
    return this.#counts;
  }

  get value(): number {
    return Object.values(this.#counts).reduce((sum, count) => sum + count, 0);
  }

  increment(node: NodeId, amount = 1): void {
    if (!(amount >= 0)) throw new RangeError(`A G-counter only grows; got ${amount}`);
    this.#counts[node] = (this.#counts[node] ?? 0) + amount;
  }

  /** Entry by entry, the max: each node's own count only grows, so the larger is the newer. */
  merge(other: Readonly<Record<NodeId, number>>): void {
    for (const [node, count] of Object.entries(other))
      this.#counts[node] = Math.max(this.#counts[node] ?? 0, count);
  }
}

export interface PNCounterState {
  increments: Readonly<Record<NodeId, number>>;
  decrements: Readonly<Record<NodeId, number>>;
}

/** A counter that goes both ways: two G-counters, one of increments and one of decrements. */
export class PNCounter {
  readonly #increments: GCounter;
  readonly #decrements: GCounter;

  constructor(state: PNCounterState = { increments: {}, decrements: {} }) {
    this.#increments = new GCounter(state.increments);
    this.#decrements = new GCounter(state.decrements);
  }

  get state(): PNCounterState {
    return {
      increments: { ...this.#increments.counts },
      decrements: { ...this.#decrements.counts },
    };
  }

  get value(): number {
    return this.#increments.value - this.#decrements.value;
  }

  increment(node: NodeId, amount = 1): void {
    this.#increments.increment(node, amount);
  }

  decrement(node: NodeId, amount = 1): void {
    this.#decrements.increment(node, amount);
  }

  merge(other: PNCounterState): void {
    this.#increments.merge(other.increments);
    this.#decrements.merge(other.decrements);
  }
}

export interface ORSetState {
  /** Every add ever made: the element and the unique tag of that add. */
  added: ReadonlyArray<{ element: string; tag: string }>;
  /** The tags of the adds that a remove has seen. */
  removed: readonly string[];
}

/**
 * An add-wins observed-remove set. Each add gets a unique tag; a remove removes the tags it has
 * seen, so an add concurrent with the remove (a tag it has not seen) survives, and an element
 * removed once comes back only if added again.
 */
export class ORSet {
  #added: Array<{ element: string; tag: string }>;
  #removed: Set<string>;

  constructor(state: ORSetState = { added: [], removed: [] }) {
    this.#added = [];
    this.#removed = new Set();
    this.merge(state);
  }

  get state(): ORSetState {
    return {
      added: this.#added
        .map((add) => ({ ...add }))
        .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0)),
      removed: [...this.#removed].sort(),
    };
  }

  /** The elements present, sorted. */
  get values(): string[] {
    return [
      ...new Set(
        this.#added.filter((add) => !this.#removed.has(add.tag)).map((add) => add.element),
      ),
    ].sort();
  }

  has(element: string): boolean {
    return this.values.includes(element);
  }

  /** `node` adds `element`, under a tag no other add has: `${node}:${count of node's adds + 1}`. */
  add(node: NodeId, element: string): void {
    const own = this.#added.filter((add) => add.tag.startsWith(`${node}:`)).length;
    this.#added.push({ element, tag: `${node}:${own + 1}` });
  }

  /** Removes the adds of `element` this replica has seen, and only those. */
  remove(element: string): void {
    for (const add of this.#added) if (add.element === element) this.#removed.add(add.tag);
  }

  merge(other: ORSetState): void {
    const tags = new Set(this.#added.map((add) => add.tag));
    for (const add of other.added) {
      if (tags.has(add.tag)) continue;
      tags.add(add.tag);
      this.#added.push({ ...add });
    }
    for (const tag of other.removed) this.#removed.add(tag);
  }
}
