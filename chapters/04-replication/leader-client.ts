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
import type { SingleLeaderMessage, WriteOperation } from "./single-leader-protocol.js";

/**
 * Provided, complete: the client the exercise 4.1 tests use. Reading it shows what your
 * replicas can rely on:
 * - a client has at most one request outstanding, and numbers its requests 1, 2, 3, …;
 * - it resends a request, with the same number, to the next replica when no answer comes
 *   within `retryAfterMs`, and straight to the hinted replica when told "not-leader";
 * - it ignores answers to any request but the one it is waiting on.
 */

/** One operation as the history records it, in true simulation time. */
export interface ClientOperation extends Operation<KeyValueInput, KeyValueOutput> {
  /** Which replica answered, and the version a read returned. */
  replica?: NodeId;
  version?: number;
  /** When the client last sent the request: it resends after a timeout or a redirect. */
  lastSentMs?: number;
}

/** Every operation the clients of one simulation issued, for the checkers. */
export class ClientHistory extends OperationHistory<
  KeyValueInput,
  KeyValueOutput,
  ClientOperation
> {
  /** Records that the client (re)sent `operation` now. */
  sent(operation: ClientOperation): void {
    operation.lastSentMs = this.nowMs();
  }

  /** Records the answer, which replica gave it and, for a read, the version it returned. */
  override end(
    operation: ClientOperation,
    output: KeyValueOutput,
    replica?: NodeId,
    version?: number,
  ): void {
    super.end(operation, output);
    if (replica !== undefined) operation.replica = replica;
    if (version !== undefined) operation.version = version;
  }

  /** The writes that were acknowledged: a client heard "ok". */
  acknowledgedWrites(): ClientOperation[] {
    return this.completed().filter((operation) => operation.input.kind !== "get");
  }

  check(): LinearizabilityResult {
    return checkLinearizable(this.operations, keyValueModel);
  }
}

export interface LeaderClientOptions {
  /** The replicas, in the order the client tries them. */
  replicas: readonly NodeId[];
  history: ClientHistory;
  /** How long to wait for an answer before resending to the next replica. @default 150 */
  retryAfterMs?: number;
}

/** What a client does on its own: random operations on `keys`, one after another. */
export interface LeaderWorkload {
  keys: readonly string[];
  /** The fraction of operations that are reads. @default 0.4 */
  readFraction?: number;
  /** Pause between an answer and the next request. @default { min: 0, max: 20 } */
  thinkMs?: RangeMs;
}

export class LeaderClient implements SimulatedNode<SingleLeaderMessage> {
  readonly #context: NodeContext<SingleLeaderMessage>;
  readonly #replicas: readonly NodeId[];
  readonly #history: ClientHistory;
  readonly #retryAfterMs: number;
  #sequence = 0;
  #outstanding: { sequence: number; input: KeyValueInput; record: ClientOperation } | undefined;
  #target = 0;
  #workload: LeaderWorkload | undefined;
  #sends = 0;

  constructor(context: NodeContext<SingleLeaderMessage>, options: LeaderClientOptions) {
    if (options.replicas.length === 0) throw new RangeError("A client needs at least one replica");
    this.#context = context;
    this.#replicas = options.replicas;
    this.#history = options.history;
    this.#retryAfterMs = options.retryAfterMs ?? 150;
  }

  get busy(): boolean {
    return this.#outstanding !== undefined;
  }

  /** How many requests went on the wire, first sends and resends together. */
  get sends(): number {
    return this.#sends;
  }

  /** Starts a write (put or append) or a read (get); a client issues one at a time. */
  submit(input: KeyValueInput): void {
    if (this.#outstanding !== undefined)
      throw new Error(
        `Client ${this.#context.id} is still waiting for request ${this.#outstanding.sequence}; a client issues one operation at a time`,
      );
    this.#sequence++;
    this.#outstanding = {
      sequence: this.#sequence,
      input,
      record: this.#history.begin(this.#context.id, input),
    };
    this.#send();
  }

  startWorkload(workload: LeaderWorkload): void {
    this.#workload = workload;
    if (this.#outstanding === undefined) this.#submitNext();
  }

  stopWorkload(): void {
    this.#workload = undefined;
    this.#context.cancelTimer("think");
  }

  onMessage(from: NodeId, message: SingleLeaderMessage): void {
    if (message.type !== "reply") return;
    const outstanding = this.#outstanding;
    if (outstanding === undefined || message.sequence !== outstanding.sequence) return;
    if (message.status === "not-leader") {
      const hinted =
        message.leaderHint === undefined ? -1 : this.#replicas.indexOf(message.leaderHint);
      // A hint back to the replica that gave it means nobody knows yet: try the next one later.
      if (hinted !== -1 && message.leaderHint !== from) {
        this.#target = hinted;
        this.#send();
      }
      return;
    }
    this.#context.cancelTimer("timeout");
    const output: KeyValueOutput =
      outstanding.input.kind === "get" ? { value: message.value ?? "" } : {};
    this.#history.end(outstanding.record, output, from, message.version);
    this.#outstanding = undefined;
    if (this.#workload !== undefined) {
      const thinkMs = this.#workload.thinkMs ?? { min: 0, max: 20 };
      this.#context.setTimer("think", this.#context.randomInt(thinkMs.min, thinkMs.max));
    }
  }

  onTimer(name: string): void {
    if (name === "think" && this.#workload !== undefined && this.#outstanding === undefined)
      this.#submitNext();
    if (name === "timeout") {
      this.#target = (this.#target + 1) % this.#replicas.length;
      this.#send();
    }
  }

  #send(): void {
    const outstanding = this.#outstanding;
    if (outstanding === undefined) return;
    this.#sends++;
    this.#history.sent(outstanding.record);
    const { input } = outstanding;
    const message: SingleLeaderMessage =
      input.kind === "get"
        ? { type: "read", sequence: outstanding.sequence, key: input.key }
        : { type: "write", sequence: outstanding.sequence, operation: input as WriteOperation };
    this.#context.send(this.#replicas[this.#target]!, message);
    this.#context.setTimer("timeout", this.#retryAfterMs);
  }

  #submitNext(): void {
    const workload = this.#workload!;
    const key = workload.keys[this.#context.randomInt(0, workload.keys.length - 1)]!;
    // Values name their client and request, so a value applied twice is easy to spot.
    const value = `${this.#context.id}.${this.#sequence + 1} `;
    const isRead = this.#context.random() < (workload.readFraction ?? 0.4);
    this.submit(isRead ? { kind: "get", key } : { kind: "append", key, value });
  }
}
