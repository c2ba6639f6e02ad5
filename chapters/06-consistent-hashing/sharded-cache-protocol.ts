import { VirtualNodeRing } from "./vnode-ring.js";

// Provided, complete: the messages of exercise 6.5 (a sharded cache that rebalances online).
// Your cache node (sharded-cache.ts) sends and receives exactly these.

/** How many tokens each cache node puts on the ring. */
export const cacheTokensPerNode = 32;

/**
 * The directory's word on one epoch: the cache nodes that own the ring in it, and those that
 * owned it in the epoch before (empty for the first epoch). Epoch 0 is "no configuration yet".
 */
export interface CacheConfig {
  epoch: number;
  members: string[];
  previous: string[];
}

/** A cached value and its version: the writing client's request number; higher is newer. */
export interface CacheEntry {
  value: string;
  version: number;
}

export type CacheMessage =
  /** Directory → everyone, when an epoch begins and every 50 ms after: the current epoch. */
  | { type: "config"; config: CacheConfig }
  /** Client → node: store `value` under `key` as version `request`, routed by the ring of `epoch`. */
  | { type: "put"; request: number; epoch: number; key: string; value: string }
  /** Client → node: read `key`, routed by the ring of `epoch`. */
  | { type: "get"; request: number; epoch: number; key: string }
  /**
   * Node → client. "ok": done (a get carries the entry, if any). "wrong-epoch": the request's
   * epoch is not the node's (`epoch`); "wrong-owner": the node does not own the key in its
   * epoch; "not-ready": it owns the key but is still waiting for the keys moving to it.
   */
  | {
      type: "reply";
      request: number;
      status: "ok" | "wrong-epoch" | "wrong-owner" | "not-ready";
      epoch: number;
      entry?: CacheEntry;
    }
  /**
   * Node → node, for the migration into `epoch`: every entry the sender held that the ring of
   * `epoch` gives to the receiver (possibly none). Sent by each member of the previous epoch
   * to each member of `epoch`, and resent until acknowledged.
   */
  | { type: "transfer"; epoch: number; entries: Array<{ key: string } & CacheEntry> }
  /** Node → node: "the transfer for `epoch` is stored durably". */
  | { type: "transfer-ack"; epoch: number };

/** The ring of an epoch: every member with `cacheTokensPerNode` tokens. Uses your 6.2. */
export function ringOf(members: readonly string[]): VirtualNodeRing {
  const ring = new VirtualNodeRing({ tokensPerNode: cacheTokensPerNode });
  for (const member of members) ring.add(member);
  return ring;
}
