import type { NodeId } from "../../harness/index.js";

// Provided, complete: the messages of exercise 4.4 (leaderless quorums, Dynamo-style) and the
// small pure functions every node shares. You do not need to change anything here.

/**
 * What a replica holds for a key: a value, or a tombstone (`value: null`) that says the key was
 * deleted, and the write's version. Versions are numbers the client gives each write, larger
 * for later writes; a replica keeps the record with the highest version.
 */
export interface StoredRecord {
  value: string | null;
  version: number;
}

/** One write a replica keeps for another (hinted handoff): `home` is where it belongs. */
export interface Hint {
  home: NodeId;
  key: string;
  record: StoredRecord;
}

export type LeaderlessMessage =
  // Client ↔ coordinator (any node coordinates the requests it receives).
  /** Write `value` (null: delete) under `version`. */
  | { type: "put"; requestId: number; key: string; value: string | null; version: number }
  | { type: "put-reply"; requestId: number; ok: boolean }
  | { type: "get"; requestId: number; key: string }
  /** The newest record among R replies (null value and version 0 when no replica had one). */
  | { type: "get-reply"; requestId: number; ok: boolean; value: string | null; version: number }
  // Coordinator ↔ replica.
  /** Store `record` under `key`; with `hintFor`, keep it as a hint for that home replica. */
  | { type: "store"; requestId: number; key: string; record: StoredRecord; hintFor?: NodeId }
  | { type: "stored"; requestId: number }
  | { type: "fetch"; requestId: number; key: string }
  | { type: "fetched"; requestId: number; key: string; record: StoredRecord | null }
  /** Read repair: a replica answered with an older record; here is the newest. No reply. */
  | { type: "repair"; key: string; record: StoredRecord }
  // Hinted handoff: the node keeping a hint sends it home until home acknowledges it.
  | { type: "handoff"; key: string; record: StoredRecord }
  | { type: "handoff-ack"; key: string; version: number }
  // Anti-entropy: two replicas compare Merkle trees over the keys both replicate.
  /**
   * "Here are my hashes of these tree nodes at `level`" (0 is the root; `treeDepth` the
   * leaves). The receiver compares them with its own and answers with the hashes of the
   * children of those that differ, or, at the leaves, with its records of the differing leaves.
   */
  | { type: "merkle"; level: number; nodes: Array<{ index: number; hash: number }> }
  /**
   * "Here are my records in these leaves (buckets)". With `reply`, the receiver merges them
   * and answers with its own records of the same leaves (reply: false).
   */
  | {
      type: "merkle-records";
      buckets: number[];
      records: Array<{ key: string; record: StoredRecord }>;
      reply: boolean;
    };

/**
 * A 32-bit FNV-1a hash of `text`, as a non-negative whole number. Deterministic and the same on
 * every node, which is all a Merkle tree or a ring needs (it is not cryptographic).
 */
export function hashText(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The nodes responsible for `key`, in order: the first `n` are its home replicas; the rest,
 * in the same ring order, are the fallbacks a sloppy quorum uses when a home replica is down.
 * The ring starts at `hashText(key)` modulo the number of nodes.
 */
export function preferenceList(key: string, nodes: readonly NodeId[], n: number): NodeId[] {
  if (n < 1 || n > nodes.length)
    throw new RangeError(`Expected 1 <= N <= ${nodes.length} (the cluster size), got N = ${n}`);
  const sorted = [...nodes].sort();
  const start = hashText(key) % sorted.length;
  return sorted.map((_, offset) => sorted[(start + offset) % sorted.length]!);
}

/** The Merkle leaf (bucket) a key falls in, for a tree of `treeDepth` levels below the root. */
export function bucketOf(key: string, treeDepth: number): number {
  return hashText(key) % 2 ** treeDepth;
}

/** Whether `a` is newer than `b` (a missing record is older than any). */
export function isNewer(a: StoredRecord, b: StoredRecord | null | undefined): boolean {
  return b === null || b === undefined || a.version > b.version;
}
