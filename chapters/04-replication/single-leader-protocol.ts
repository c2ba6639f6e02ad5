import type { NodeId } from "../../harness/index.js";

// Provided, complete: the messages of exercise 4.1 (single-leader replication with failover).
// You do not need to change anything here; your replica (single-leader.ts) sends and receives
// exactly these.

/**
 * How many followers must have a write before the leader acknowledges it:
 * - "synchronous": every follower (PostgreSQL with every standby in synchronous_standby_names);
 * - "semi-synchronous": at least one follower (MySQL's semi-synchronous replication);
 * - "asynchronous": none: the leader acknowledges once the write is in its own log.
 */
export type ReplicationMode = "synchronous" | "semi-synchronous" | "asynchronous";

/** A client's write: a put replaces the key's value, an append adds to its end. */
export type WriteOperation =
  { kind: "put"; key: string; value: string } | { kind: "append"; key: string; value: string };

/**
 * One entry of the replicated log. `epoch` is the epoch of the leader that appended it. A write
 * carries the client and its request number, so that a retried request is applied once. A new
 * leader starts its epoch with a `noop`: once that is committed, so is everything before it.
 */
export type LogEntry =
  | { epoch: number; kind: "write"; client: NodeId; sequence: number; operation: WriteOperation }
  | { epoch: number; kind: "noop" };

/** What the configuration service says: who leads which epoch. */
export type ConfigMessage =
  /**
   * Replica → configuration service, every `heartbeatMs`: "I am alive, in `epoch`, and my log
   * has `logLength` entries, the last from `lastEpoch`". `sentAtMs` is the replica's
   * `monotonicNow()` when it sent this; the answer echoes it back.
   */
  | { type: "heartbeat"; epoch: number; lastEpoch: number; logLength: number; sentAtMs: number }
  /**
   * Configuration service → replica: "`leader` leads `epoch`". An answer to a heartbeat echoes
   * that heartbeat's `sentAtMs`; to the leader of `epoch` it is a lease: that leader may serve
   * clients until `sentAtMs + leaseMs` on its own monotonic clock. Sent without `echoMs` to
   * every replica when a new epoch begins.
   */
  | { type: "epoch"; epoch: number; leader: NodeId; echoMs?: number };

/** What the leader and followers say to each other. */
export type ReplicaMessage =
  /**
   * Leader → follower: "after the entry at `prevIndex` (1-based; 0 for the start), which came
   * from epoch `prevEpoch`, my log continues with `entries`; I have committed up to
   * `commitIndex`". Empty `entries` is a heartbeat that still carries the commit index.
   */
  | {
      type: "append";
      epoch: number;
      prevIndex: number;
      prevEpoch: number;
      entries: LogEntry[];
      commitIndex: number;
    }
  /**
   * Follower → leader. `ok`: my log now matches yours up to `matchIndex`. Not ok: either your
   * `epoch` is older than mine (then `epoch` is mine), or my log does not hold your `prevIndex`
   * entry; `matchIndex` is then my log's length, after dropping entries that conflicted.
   */
  | { type: "append-reply"; epoch: number; ok: boolean; matchIndex: number };

/** What clients and replicas say to each other. */
export type ClientMessage =
  | { type: "write"; sequence: number; operation: WriteOperation }
  | { type: "read"; sequence: number; key: string }
  /**
   * Replica → client, to a write or a read. "ok": done; a read carries the value ("" when the
   * key has none) and `version`, the log index of the write that produced it (0 if none).
   * "not-leader": ask `leaderHint`, if known.
   */
  | {
      type: "reply";
      sequence: number;
      status: "ok" | "not-leader";
      value?: string;
      version?: number;
      leaderHint?: NodeId;
    };

/** Every message of exercise 4.1. */
export type SingleLeaderMessage = ConfigMessage | ReplicaMessage | ClientMessage;
