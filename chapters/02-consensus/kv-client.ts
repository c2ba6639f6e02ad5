import {
  checkLinearizable,
  keyValueModel,
  type KeyValueInput,
  type KeyValueOutput,
  type LinearizabilityResult,
  type NodeContext,
  type NodeId,
  type Operation,
  OperationHistory,
  type RangeMs,
  type SimulatedNode,
} from "../../harness/testing.js";
import type { KvOperation, KvReply, RaftKvMessage } from "./raft-kv.js";

/**
 * Provided, complete: the client the exercise 2.4 tests use to talk to your key-value servers.
 * You do not need to change it, but reading it shows what your servers can rely on:
 * - a client has at most one request outstanding, and numbers its requests 1, 2, 3, …;
 * - it resends a request, with the same number, to another server when no answer comes within
 *   `retryAfterMs`, and straight to the hinted server when told "wrong-leader";
 * - it ignores answers to any request but the one it is waiting on.
 */

/** One operation as the history records it, in true simulation time. */
export type KvHistoryOperation = Operation<KeyValueInput, KeyValueOutput>;

/**
 * Every operation the clients of one simulation issued, with when it was called and when it
 * returned, in true simulation time, for the linearizability checker.
 */
export class KvHistory extends OperationHistory<KvOperation, KeyValueOutput> {
  /** Whether the history is linearizable for a key-value store. */
  check(): LinearizabilityResult {
    return checkLinearizable(this.operations, keyValueModel);
  }
}

/** What a client does on its own when it runs a workload. */
export interface KvWorkload {
  /** The keys to pick from: few keys make clients contend. */
  keys: readonly string[];
  /** Pause between receiving an answer and sending the next request. @default { min: 0, max: 20 } */
  thinkMs?: RangeMs;
}

export interface KvClientOptions {
  /** The key-value servers, in the order the client tries them, starting with the first. */
  servers: readonly NodeId[];
  /** Where the client records each operation's call and return. */
  history: KvHistory;
  /** How long to wait for an answer before resending to the next server. @default 100 */
  retryAfterMs?: number;
  /** How long to wait before resending after "wrong-leader" without a usable hint. @default 20 */
  backoffMs?: number;
}

interface Outstanding {
  sequence: number;
  operation: KvOperation;
  record: KvHistoryOperation;
}

/**
 * A key-value client node. Tests start an operation with `submit` (inside `simulation.act`) or
 * let the client run a random workload, then read the results from the shared `KvHistory`.
 */
export class KvClient implements SimulatedNode<RaftKvMessage> {
  readonly #context: NodeContext<RaftKvMessage>;
  readonly #servers: readonly NodeId[];
  readonly #history: KvHistory;
  readonly #retryAfterMs: number;
  readonly #backoffMs: number;
  #sequence = 0;
  #outstanding: Outstanding | undefined;
  /** Index into the servers of the one the client believes leads; it starts with the first. */
  #target = 0;
  /** Hints followed since the last timeout, so two confused servers cannot bounce it forever. */
  #hintsFollowed = 0;
  #workload: KvWorkload | undefined;
  #sends = 0;
  #completed = 0;

  constructor(context: NodeContext<RaftKvMessage>, options: KvClientOptions) {
    if (options.servers.length === 0) throw new RangeError("A client needs at least one server");
    this.#context = context;
    this.#servers = options.servers;
    this.#history = options.history;
    this.#retryAfterMs = options.retryAfterMs ?? 100;
    this.#backoffMs = options.backoffMs ?? 20;
  }

  /** Whether a request is outstanding. */
  get busy(): boolean {
    return this.#outstanding !== undefined;
  }

  /** How many operations have been answered. */
  get completed(): number {
    return this.#completed;
  }

  /** How many times a request was sent, first sends and resends together. */
  get sends(): number {
    return this.#sends;
  }

  /** Starts an operation. A client issues one at a time, so it must not be busy. */
  submit(operation: KvOperation): void {
    if (this.#outstanding !== undefined) {
      throw new Error(
        `Client ${this.#context.id} is still waiting for request ${this.#outstanding.sequence}; a client issues one operation at a time`,
      );
    }
    this.#sequence++;
    this.#outstanding = {
      sequence: this.#sequence,
      operation,
      record: this.#history.begin(this.#context.id, operation),
    };
    this.#hintsFollowed = 0;
    this.#send();
  }

  /** Issues random operations one after another until `stopWorkload`. */
  startWorkload(workload: KvWorkload): void {
    if (workload.keys.length === 0) throw new RangeError("A workload needs at least one key");
    this.#workload = workload;
    if (this.#outstanding === undefined) this.#submitNext();
  }

  /** Lets the current operation finish, then issues no more. */
  stopWorkload(): void {
    this.#workload = undefined;
    this.#context.cancelTimer("think");
  }

  onMessage(from: NodeId, message: RaftKvMessage): void {
    if (message.type !== "kv-reply") return;
    const outstanding = this.#outstanding;
    // Late answers and network duplicates belong to requests already settled.
    if (outstanding === undefined || message.sequence !== outstanding.sequence) return;
    if (message.status === "ok") {
      this.#finish(outstanding, message);
      return;
    }
    this.#redirect(from, message.leaderHint);
  }

  onTimer(name: string): void {
    if (name === "think") {
      if (this.#workload !== undefined && this.#outstanding === undefined) this.#submitNext();
    } else if (name === "timeout") {
      // No answer: the server may be down, cut off, or deposed. Try the next one.
      this.#target = (this.#target + 1) % this.#servers.length;
      this.#hintsFollowed = 0;
      this.#send();
    } else if (name === "backoff") {
      this.#send();
    }
  }

  #redirect(from: NodeId, leaderHint: NodeId | undefined): void {
    const hinted = leaderHint === undefined ? -1 : this.#servers.indexOf(leaderHint);
    if (hinted !== -1 && this.#hintsFollowed < this.#servers.length) {
      this.#hintsFollowed++;
      this.#target = hinted;
      this.#send();
      return;
    }
    // No one knows the leader yet (an election is under way): wait a moment, then try the next.
    this.#target = (this.#servers.indexOf(from) + 1) % this.#servers.length;
    this.#context.cancelTimer("timeout");
    this.#context.setTimer("backoff", this.#backoffMs);
  }

  #send(): void {
    const outstanding = this.#outstanding;
    if (outstanding === undefined) return;
    this.#sends++;
    this.#context.cancelTimer("backoff");
    this.#context.send(this.#servers[this.#target]!, {
      type: "kv-request",
      sequence: outstanding.sequence,
      operation: outstanding.operation,
    });
    this.#context.setTimer("timeout", this.#retryAfterMs);
  }

  #finish(outstanding: Outstanding, reply: KvReply & { status: "ok" }): void {
    this.#context.cancelTimer("timeout");
    this.#context.cancelTimer("backoff");
    const output: KeyValueOutput =
      outstanding.operation.kind === "get" && reply.value !== undefined
        ? { value: reply.value }
        : {};
    this.#history.end(outstanding.record, output);
    this.#outstanding = undefined;
    this.#completed++;
    if (this.#workload !== undefined) {
      const thinkMs = this.#workload.thinkMs ?? { min: 0, max: 20 };
      this.#context.setTimer("think", this.#context.randomInt(thinkMs.min, thinkMs.max));
    }
  }

  #submitNext(): void {
    const workload = this.#workload!;
    const key = workload.keys[this.#context.randomInt(0, workload.keys.length - 1)]!;
    // Values name their client and request, so a value that shows up twice is easy to spot.
    const value = `${this.#context.id}.${this.#sequence + 1} `;
    const draw = this.#context.random();
    this.submit(
      draw < 0.4
        ? { kind: "get", key }
        : draw < 0.6
          ? { kind: "put", key, value }
          : { kind: "append", key, value },
    );
  }
}
