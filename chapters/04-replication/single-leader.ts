import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
import type { LogEntry, ReplicationMode, SingleLeaderMessage } from "./single-leader-protocol.js";

/**
 * Exercise 4.1 — single-leader replication with failover and epoch fencing.
 *
 * One replica, the leader of the current epoch, takes every write, appends it to its log and
 * ships the log to the followers; the mode says how many followers must have a write before
 * the client hears "ok". A configuration service (config-service.ts, provided) names the leader
 * of each epoch and grants it a lease; when the leader goes quiet it names another, in a higher
 * epoch. The messages are in single-leader-protocol.ts.
 *
 * The rules, one by one (the notes explain each; the tests check each by itself):
 * 1. Heartbeat to the configuration service every `heartbeatMs` (its answers tell you the epoch
 *    and its leader). Keep the epoch and the log in `context.storage`: they survive a crash.
 * 2. Fencing: never accept anything from an epoch older than the newest you know. An append
 *    from an older epoch is refused with an `append-reply` carrying your epoch; a newer epoch,
 *    from the service or an append, is adopted at once (a leader of an older one steps down).
 * 3. Followers keep the leader's log: an append fits only after the entry at `prevIndex` from
 *    `prevEpoch`; otherwise refuse it (never leave a gap), dropping any entry that conflicts.
 *    Entries you already hold stay; the commit index never goes backwards.
 * 4. The leader starts its epoch with a `noop` entry, commits an entry of its own epoch once
 *    the mode's number of followers hold it (synchronous: all; semi-synchronous: one;
 *    asynchronous: none), and applies committed entries in order.
 * 5. The leader serves (acknowledges writes, answers reads from its applied state) only while
 *    its lease holds and once its epoch's noop is committed.
 * 6. A client request is applied at most once: a retry of one already applied or already in
 *    the log does not go in the log again.
 */

export interface ReplicaOptions {
  mode: ReplicationMode;
  /** The configuration service's node id. */
  configService: NodeId;
  /** Every replica, this one included. */
  replicas: readonly NodeId[];
  /** How often to heartbeat to the configuration service. @default 50 */
  heartbeatMs?: number;
  /** The lease the configuration service grants; must match its own. @default 300 */
  leaseMs?: number;
  /** How often the leader sends appends (with new entries, or empty as heartbeats). @default 25 */
  replicateMs?: number;
}

/** What a key holds in the applied state: its value and the log index that wrote it. */
export interface VersionedValue {
  value: string;
  version: number;
}

export class ReplicaNode implements SimulatedNode<SingleLeaderMessage> {
  readonly #context: NodeContext<SingleLeaderMessage>;
  readonly #options: ReplicaOptions;

  constructor(context: NodeContext<SingleLeaderMessage>, options: ReplicaOptions) {
    // Keep what you need; what is not in context.storage is lost on a crash.
    this.#context = context;
    this.#options = options;
  }

  /** The newest epoch this replica knows. */
  get epoch(): number {
    return todo("4.1", "return the newest epoch this replica knows (0 before any)");
  }

  /** Who this replica believes leads its epoch; undefined until it hears. */
  get leader(): NodeId | undefined {
    return todo("4.1", "return the leader this replica believes leads its epoch");
  }

  /** The replicated log, oldest first; entry i (1-based) is `log[i - 1]`. */
  get log(): readonly LogEntry[] {
    return todo("4.1", "return this replica's log");
  }

  /** How many entries of the log this replica knows are committed. */
  get commitIndex(): number {
    return todo("4.1", "return how many log entries this replica knows are committed");
  }

  /** Whether this replica acknowledges writes and answers reads right now (rule 5). */
  get serving(): boolean {
    return todo(
      "4.1",
      "return whether this replica leads, holds its lease and has committed its noop",
    );
  }

  /** The applied value of `key` and the log index that wrote it; undefined if none. */
  read(key: string): VersionedValue | undefined {
    return todo("4.1", `return the applied value and version of "${key}"`);
  }

  onStart(): void {
    todo(
      "4.1",
      `rule 1: restore ${this.#context.id}'s epoch and log from storage and start heartbeating to ${this.#options.configService}`,
    );
  }

  onTimer(name: string): void {
    todo(
      "4.1",
      `timer "${name}": heartbeat to the configuration service, or (as leader) send appends`,
    );
  }

  onMessage(from: NodeId, message: SingleLeaderMessage): void {
    todo(
      "4.1",
      `handle a ${message.type} from ${from} (see single-leader-protocol.ts and rules 2-6)`,
    );
  }
}
