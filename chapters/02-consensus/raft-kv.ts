import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
import { RaftNode, type RaftMessage, type RaftOptions } from "./raft.js";

/**
 * Exercise 2.4 — a linearizable key-value store on Raft.
 *
 * Every server runs the same deterministic state machine (a map from keys to strings) and feeds
 * it the same commands in the same order: the entries Raft commits. A client's request becomes a
 * log entry; the leader answers once that entry has been committed and applied, so an answer is
 * only ever given for an operation that can never be undone.
 *
 * Three things turn "replicated" into "linearizable":
 * 1. Reads go through the log too. A leader cut off by a partition still believes it leads, while
 *    the majority elects a new leader and accepts writes; answering a get from its own map would
 *    return stale data.
 * 2. Retries are applied once. A client whose reply was lost sends the request again, so the
 *    same append can reach the log twice. Each request carries the client's sequence number;
 *    remember each client's latest applied number and answer as part of the state machine, so
 *    that every replica, and every future leader, knows it.
 * 3. A waiting client is only answered for its own entry. A leader that loses its term may see a
 *    different entry committed at the index it promised a client.
 *
 * The wiring is done for you: the constructor embeds a Raft node (your 2.2/2.3 solution), Raft
 * messages and timers are passed to it, and Raft calls `#apply` for every committed entry, in
 * order. Your three tasks are the methods marked TODO. The tests talk to your servers through the
 * provided client in `kv-client.ts`.
 */

/** What a client asks the store to do; a get of a key never written reads "". */
export type KvOperation =
  | { kind: "get"; key: string }
  | { kind: "put"; key: string; value: string }
  | { kind: "append"; key: string; value: string };

/**
 * The command Raft replicates: the operation and who asked for it. The client and its sequence
 * number travel in the log so that every replica recognises a retry as the same request.
 */
export interface KvCommand {
  clientId: NodeId;
  /** Counts up from 1 for each client; a retry of a request keeps its number. */
  sequence: number;
  operation: KvOperation;
}

/** A client's request to a server. The sender's node id identifies the client. */
export interface KvRequest {
  type: "kv-request";
  /** Counts up from 1; a retry keeps the number, so the store can tell a retry from a new request. */
  sequence: number;
  operation: KvOperation;
}

/** A server's answer to the request numbered `sequence`. */
export type KvReply =
  | {
      type: "kv-reply";
      sequence: number;
      status: "ok";
      /** The value read, for a get ("" for a key never written); absent for a put or append. */
      value?: string;
    }
  | {
      type: "kv-reply";
      sequence: number;
      /** This server cannot serve the request (it does not lead, or lost its term): try another. */
      status: "wrong-leader";
      /** Who this server believes leads, when it knows. */
      leaderHint?: NodeId;
    };

/** Everything that travels between servers and clients. */
export type RaftKvMessage = RaftMessage<KvCommand> | KvRequest | KvReply;

export interface RaftKvOptions {
  /** Raft's timing, passed on to the embedded Raft node (the store supplies `apply` itself). */
  raft?: Omit<RaftOptions<KvCommand>, "apply">;
}

/** A client's latest applied request and the answer it got: the memory that makes retries safe. */
interface Session {
  sequence: number;
  /** The value a get read; undefined for a put or append. */
  value: string | undefined;
}

/** A request this node proposed as leader, waiting for its entry to be applied. */
interface WaitingRequest {
  clientId: NodeId;
  sequence: number;
  /** The term the entry was proposed in: with the index, it names exactly one entry. */
  term: number;
}

/**
 * A key-value server: a Raft node plus the state machine it drives. Raft messages and timers are
 * passed to the embedded Raft node; client requests are proposed to it.
 */
export class RaftKvNode implements SimulatedNode<RaftKvMessage> {
  readonly #context: NodeContext<RaftKvMessage>;
  readonly #raft: RaftNode<KvCommand>;
  /** The state machine: every key's value. Volatile: after a restart, Raft re-applies the log. */
  readonly #data = new Map<string, string>();
  /** Per client, its latest applied request; replicated, because it is built by applying the log. */
  readonly #sessions = new Map<NodeId, Session>();
  /** Requests proposed by this node while leader, by the log index they were given. */
  readonly #waiting = new Map<number, WaitingRequest>();
  #appliedIndex = 0;

  constructor(context: NodeContext<RaftKvMessage>, options: RaftKvOptions = {}) {
    this.#context = context;
    this.#raft = new RaftNode<KvCommand>(context, {
      ...options.raft,
      apply: (entry) => this.#apply(entry),
    });
  }

  /** The embedded Raft node, for tests to read its role, term and log. */
  get raft(): RaftNode<KvCommand> {
    return this.#raft;
  }

  /** A copy of the state machine: every key's current value on this server. */
  get data(): ReadonlyMap<string, string> {
    return new Map(this.#data);
  }

  /** How many log entries this server has applied to its map since it (re)started. */
  get appliedIndex(): number {
    return this.#appliedIndex;
  }

  onStart(): void {
    this.#raft.onStart();
  }

  onMessage(from: NodeId, message: RaftKvMessage): void {
    if (message.type === "kv-request") {
      this.#submit(from, message);
    } else if (message.type !== "kv-reply") {
      this.#raft.onMessage(from, message);
      // Only a Raft event can change this node's role or term.
      if (this.#waiting.size > 0) this.#abandonStaleRequests();
    }
  }

  onTimer(name: string): void {
    // The store sets no timers of its own: every timer is Raft's.
    this.#raft.onTimer(name);
    if (this.#waiting.size > 0) this.#abandonStaleRequests();
  }

  /** Task 1: propose a client's request to Raft, or send the client to the leader. */
  #submit(clientId: NodeId, request: KvRequest): void {
    todo(
      "2.4",
      `task 1: propose request ${request.sequence} from ${clientId} to Raft and remember who waits on its log index (term too); a node that is not the leader replies "wrong-leader" with a hint`,
    );
  }

  /** Task 2: apply one committed entry, once per client request, and answer whoever waits on it. */
  #apply(entry: { index: number; term: number; command: KvCommand }): void {
    todo(
      "2.4",
      `task 2: apply committed entry ${entry.index} to the map unless its client's session shows it was applied already, then answer the client waiting on that index if the entry is the one it proposed (same term), else tell it "wrong-leader"`,
    );
  }

  /**
   * Task 3: a node that is no longer the leader of the term it proposed in cannot promise that
   * those entries will commit. It tells their clients to try elsewhere rather than leave them
   * waiting for a timeout.
   */
  #abandonStaleRequests(): void {
    todo(
      "2.4",
      `task 3: after a Raft event, reply "wrong-leader" to every waiting request if this node is no longer leader of the term it was proposed in`,
    );
  }
}
