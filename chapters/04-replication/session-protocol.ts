import type { NodeId } from "../../harness/index.js";

// Provided, complete: the messages of exercise 4.2 (reading from followers: session
// guarantees). You do not need to change anything here; your follower and client session
// (sessions.ts) send and receive exactly these.

/**
 * Where a write sits in the leader's log: the epoch of the leader that made it and its position
 * in that epoch (1, 2, 3, …; a new leader starts again at 1). `{ epoch: 0, index: 0 }` is the
 * empty store, before any write.
 */
export interface Version {
  epoch: number;
  index: number;
}

/**
 * One write as the leader logs it. `previous` is the version of the entry before it (the last
 * entry of the previous epoch, for a new leader's first one): a follower applies an entry only
 * right after `previous`, so its state is always a prefix of the leader's log.
 */
export interface SessionEntry {
  version: Version;
  previous: Version;
  key: string;
  value: string;
  client: NodeId;
  request: number;
}

export type SessionMessage =
  /** Leader → follower: entries that follow `entries[0].previous`, oldest first. */
  | { type: "entries"; entries: SessionEntry[] }
  /** Follower → leader: "I have applied everything up to `applied`". */
  | { type: "applied"; applied: Version }
  /** Client → leader: a write; a retry carries the same `request`. */
  | { type: "write"; request: number; key: string; value: string }
  /** Leader → client: the write is in the log at `version` and a follower has it. */
  | { type: "write-ok"; request: number; version: Version }
  /**
   * Client → follower: read `key`, but only from a state that includes everything up to
   * `after` (the session's token).
   */
  | { type: "read"; request: number; key: string; after: Version }
  /**
   * Follower → client. "ok": the key's `value` (undefined if none) and the `version` of the
   * write that produced it (`{ epoch: 0, index: 0 }` if none), read from a state that has
   * applied everything up to `applied`. "behind": this follower has not yet applied `after`.
   */
  | {
      type: "read-reply";
      request: number;
      status: "ok" | "behind";
      value?: string;
      version?: Version;
      applied: Version;
    };
