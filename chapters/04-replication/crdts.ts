import { todo, type NodeId } from "../../harness/index.js";

/**
 * Exercise 4.3 — multi-leader replication: version vectors, siblings and CRDTs. Every replica
 * accepts writes, and replicas exchange whole states (multi-leader-node.ts, provided, does the
 * exchanging). Two ways to make that converge:
 * - keep concurrent writes side by side as siblings, ordered by version vectors, until a write
 *   that has seen them all replaces them (Dynamo's shopping cart, Riak's siblings);
 * - use data types whose merge is commutative, associative and idempotent (CRDTs), so that
 *   replicas that have seen the same updates have the same state, in whatever order and however
 *   often the states arrived.
 *
 * Everything here is plain data and pure logic: no context, no clock. The states the getters
 * return are what replicas send each other, so they must be plain objects and arrays.
 */

/** How many updates from each node a version has seen; a missing node counts as 0. */
export type VersionVector = Readonly<Record<NodeId, number>>;

/** How version `a` relates to version `b`. */
export type Ordering = "before" | "after" | "equal" | "concurrent";

/**
 * "before": every entry of a is <= b's and one is smaller (b has seen all a has, and more);
 * "concurrent": each has seen an update the other has not.
 */
export function compareVersions(a: VersionVector, b: VersionVector): Ordering {
  return todo("4.3", `compare ${JSON.stringify(a)} with ${JSON.stringify(b)} entry by entry`);
}

/** The smallest version that has seen everything `a` and `b` have. */
export function mergeVersions(a: VersionVector, b: VersionVector): VersionVector {
  return todo("4.3", `merge ${JSON.stringify(a)} and ${JSON.stringify(b)} entry by entry`);
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
  constructor(siblings: readonly Sibling[] = []) {
    void siblings;
    todo("4.3", "start with the given siblings (merged, so that none supersedes another)");
  }

  /** The siblings, as plain data (what a replica sends another). */
  get siblings(): readonly Sibling[] {
    return todo("4.3", "return the siblings");
  }

  /** Every sibling's value, sorted, and the context a write that replaces them all should carry. */
  read(): { values: string[]; context: VersionVector } {
    return todo("4.3", "return the sorted values and the merged version of every sibling");
  }

  /**
   * `node` writes `value`, having read `context`. The new version is the context plus one more
   * update from `node`, counted past any update of `node`'s this register holds.
   */
  write(node: NodeId, value: string, context: VersionVector): void {
    todo("4.3", `${node} writes "${value}" with context ${JSON.stringify(context)}`);
  }

  /** Keeps every sibling of both that no other sibling descends from. */
  merge(other: readonly Sibling[]): void {
    todo("4.3", `merge ${other.length} siblings: keep those no other sibling descends from`);
  }
}

/** A grow-only counter: one count per node, each only ever incremented by that node. */
export class GCounter {
  constructor(counts: Readonly<Record<NodeId, number>> = {}) {
    void counts;
    todo("4.3", "start from a copy of the given counts");
  }

  get counts(): Readonly<Record<NodeId, number>> {
    return todo("4.3", "return each node's count");
  }

  get value(): number {
    return todo("4.3", "return the counter's value");
  }

  increment(node: NodeId, amount = 1): void {
    todo("4.3", `${node} adds ${amount} (a G-counter never goes down)`);
  }

  merge(other: Readonly<Record<NodeId, number>>): void {
    todo("4.3", `merge the counts ${JSON.stringify(other)}`);
  }
}

export interface PNCounterState {
  increments: Readonly<Record<NodeId, number>>;
  decrements: Readonly<Record<NodeId, number>>;
}

/** A counter that goes both ways. */
export class PNCounter {
  constructor(state: PNCounterState = { increments: {}, decrements: {} }) {
    void state;
    todo("4.3", "start from the given state");
  }

  get state(): PNCounterState {
    return todo("4.3", "return the state as plain data");
  }

  get value(): number {
    return todo("4.3", "return the counter's value");
  }

  increment(node: NodeId, amount = 1): void {
    todo("4.3", `${node} adds ${amount}`);
  }

  decrement(node: NodeId, amount = 1): void {
    todo("4.3", `${node} subtracts ${amount}`);
  }

  merge(other: PNCounterState): void {
    todo("4.3", `merge ${JSON.stringify(other)}`);
  }
}

export interface ORSetState {
  /** Every add ever made: the element and the unique tag of that add. */
  added: ReadonlyArray<{ element: string; tag: string }>;
  /** The tags of the adds that a remove has seen. */
  removed: readonly string[];
}

/**
 * An add-wins observed-remove set: a remove removes the adds it has seen, so an add concurrent
 * with it survives, and an element removed once comes back only if added again.
 */
export class ORSet {
  constructor(state: ORSetState = { added: [], removed: [] }) {
    void state;
    todo("4.3", "start from the given state");
  }

  /** The state as plain data, in a canonical order (sorted), so equal sets have equal states. */
  get state(): ORSetState {
    return todo("4.3", "return the state as plain data, sorted");
  }

  /** The elements present, sorted. */
  get values(): string[] {
    return todo("4.3", "return the elements present, sorted");
  }

  has(element: string): boolean {
    return todo("4.3", `say whether "${element}" is present`);
  }

  /** `node` adds `element`, under a tag no other add has: `${node}:${count of node's adds + 1}`. */
  add(node: NodeId, element: string): void {
    todo("4.3", `${node} adds "${element}" under a new unique tag`);
  }

  /** Removes the adds of `element` this replica has seen, and only those. */
  remove(element: string): void {
    todo("4.3", `remove the adds of "${element}" this replica has seen`);
  }

  merge(other: ORSetState): void {
    todo("4.3", `merge a state with ${other.added.length} adds`);
  }
}
