import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
import type { Hint, LeaderlessMessage, StoredRecord } from "./leaderless-protocol.js";

/**
 * Exercise 4.4 — leaderless replication, Dynamo-style. Every node stores the keys whose
 * preference list (`preferenceList` in leaderless-protocol.ts) names it among the first N, and
 * coordinates the requests clients send it. The messages are in leaderless-protocol.ts.
 *
 * The rules, one by one (the notes explain each; the tests check each by itself):
 * 1. A replica keeps, per key, the record with the highest version, whatever brings it: a
 *    store, a read repair, a handoff or anti-entropy. Records and hints live in
 *    `context.storage`.
 * 2. Write: the coordinator sends `store` to the key's N home replicas (storing locally if it
 *    is one) and answers `put-reply` ok once W distinct replicas have stored it; "not ok" after
 *    `requestTimeoutMs` otherwise.
 * 3. Read: the coordinator sends `fetch` to the N home replicas and answers with the newest
 *    record among the first R distinct replies (value null, version 0 if none had one).
 * 4. Read repair: every replica that answered with an older record, or none, gets a `repair`
 *    with the newest; a replica that answered with the newest gets nothing.
 * 5. Sloppy quorum (`sloppy: true`): a write still short of W after `hintAfterMs` is sent, with
 *    `hintFor`, to the fallbacks after the N homes in the preference list, one per missing home;
 *    their acknowledgements count toward W (as Dynamo does). A node keeps a hint apart from its
 *    own records and sends it home every `handoffMs` until `handoff-ack`.
 * 6. Deletes are writes of a tombstone (value null) and are kept like any record.
 * 7. Anti-entropy, every `antiEntropyMs`: compare Merkle trees (`bucketOf`, `hashText`) over
 *    the keys both nodes replicate, level by level from the root, and exchange the records of
 *    the leaves that differ.
 */

export interface LeaderlessOptions {
  /** Every node of the cluster, this one included. */
  nodes: readonly NodeId[];
  /** Replicas per key. */
  n: number;
  /** Replies a read waits for. */
  r: number;
  /** Acknowledgements a write waits for. */
  w: number;
  /** Sloppy quorum: hinted writes on fallback nodes count toward W (as in Dynamo). */
  sloppy: boolean;
  /** How long a coordinator waits for its quorum before answering "not ok". @default 200 */
  requestTimeoutMs?: number;
  /** Sloppy only: how long to wait for home replicas before writing hints. @default 50 */
  hintAfterMs?: number;
  /** How often hints are sent home. @default 100 */
  handoffMs?: number;
  /** How often to start an anti-entropy exchange with a random peer; 0: never. @default 300 */
  antiEntropyMs?: number;
  /** Levels of the Merkle tree below its root; 2^treeDepth leaves. @default 4 */
  treeDepth?: number;
}

export class LeaderlessNode implements SimulatedNode<LeaderlessMessage> {
  readonly #context: NodeContext<LeaderlessMessage>;
  readonly #options: LeaderlessOptions;

  constructor(context: NodeContext<LeaderlessMessage>, options: LeaderlessOptions) {
    // Keep what you need; what is not in context.storage is lost on a crash.
    this.#context = context;
    this.#options = options;
  }

  /** The record this replica holds for `key` (a tombstone has value null); undefined if none. */
  record(key: string): StoredRecord | undefined {
    return todo("4.4", `return the record ${this.#context.id} holds for "${key}", or undefined`);
  }

  /** Every key this replica holds a record for, tombstones included. */
  keys(): string[] {
    return todo("4.4", "return every key this replica holds a record for");
  }

  /** The hints this node keeps for other replicas. */
  get hints(): readonly Hint[] {
    return todo("4.4", "return the hints this node keeps for other replicas");
  }

  onStart(): void {
    todo(
      "4.4",
      `restore ${this.#context.id}'s records and hints from storage; start the handoff timer (and anti-entropy unless antiEntropyMs is ${this.#options.antiEntropyMs ?? 300} = 0)`,
    );
  }

  onTimer(name: string): void {
    todo("4.4", `timer "${name}": hand off hints, run anti-entropy, or time out a request`);
  }

  onMessage(from: NodeId, message: LeaderlessMessage): void {
    todo("4.4", `handle a ${message.type} from ${from} (see leaderless-protocol.ts and rules 1-7)`);
  }
}
