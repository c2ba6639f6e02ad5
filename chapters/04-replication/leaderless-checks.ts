import { observeSends } from "../../harness/index.js";
import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import type { LeaderlessMessage } from "./leaderless-protocol.js";

// Test support for exercise 4.4: the client the tests use, a probe node, and a counter of the
// hashes anti-entropy sends. You do not need to change anything here.

/** One client operation, in true simulation time. */
export interface QuorumOperation {
  client: NodeId;
  coordinator: NodeId;
  kind: "put" | "get";
  key: string;
  /** A put's value (null: delete), or what a get returned. */
  value: string | null | undefined;
  /** A put's version, or the version a get returned. */
  version: number | undefined;
  callMs: number;
  returnMs: number;
  ok: boolean | undefined;
}

/** Hands out write versions that grow in true time, as a well-synchronised clock would. */
export class VersionSource {
  #last = 0;
  next(): number {
    return ++this.#last;
  }
}

/**
 * A client: one request at a time, to the coordinator a test names, no retries. It records each
 * operation's call, return, outcome and version in `operations`.
 */
export class QuorumClient implements SimulatedNode<LeaderlessMessage> {
  readonly operations: QuorumOperation[];
  readonly #context: NodeContext<LeaderlessMessage>;
  readonly #nowMs: () => number;
  readonly #versions: VersionSource;
  #requestId = 0;
  #outstanding: QuorumOperation | undefined;

  constructor(
    context: NodeContext<LeaderlessMessage>,
    options: { nowMs: () => number; versions: VersionSource; operations: QuorumOperation[] },
  ) {
    this.#context = context;
    this.#nowMs = options.nowMs;
    this.#versions = options.versions;
    this.operations = options.operations;
  }

  get busy(): boolean {
    return this.#outstanding !== undefined;
  }

  /** Writes `value` (null: delete) to `key` through `coordinator`. Returns the write's version. */
  put(coordinator: NodeId, key: string, value: string | null): number {
    const version = this.#versions.next();
    this.#begin({ coordinator, kind: "put", key, value, version });
    this.#context.send(coordinator, {
      type: "put",
      requestId: this.#requestId,
      key,
      value,
      version,
    });
    return version;
  }

  get(coordinator: NodeId, key: string): void {
    this.#begin({ coordinator, kind: "get", key, value: undefined, version: undefined });
    this.#context.send(coordinator, { type: "get", requestId: this.#requestId, key });
  }

  onMessage(_from: NodeId, message: LeaderlessMessage): void {
    const outstanding = this.#outstanding;
    if (outstanding === undefined) return;
    if (message.type !== "put-reply" && message.type !== "get-reply") return;
    if (message.requestId !== this.#requestId) return;
    outstanding.returnMs = this.#nowMs();
    outstanding.ok = message.ok;
    if (message.type === "get-reply" && message.ok) {
      outstanding.value = message.value;
      outstanding.version = message.version;
    }
    this.#outstanding = undefined;
    this.#context.cancelTimer("give-up");
  }

  onTimer(): void {
    // No answer within 500 ms (a coordinator answers within its 200 ms timeout): it crashed.
    // The operation stays unanswered.
    this.#outstanding = undefined;
  }

  #begin(operation: Omit<QuorumOperation, "client" | "callMs" | "returnMs" | "ok">): void {
    if (this.#outstanding !== undefined)
      throw new Error(`Client ${this.#context.id} already has a request outstanding`);
    this.#requestId++;
    this.#outstanding = {
      ...operation,
      client: this.#context.id,
      callMs: this.#nowMs(),
      returnMs: Infinity,
      ok: undefined,
    };
    this.operations.push(this.#outstanding);
    this.#context.setTimer("give-up", 500);
  }
}

/** A stand-in node the tests drive by hand; it keeps what it receives and may answer. */
export class ProbeNode implements SimulatedNode<LeaderlessMessage> {
  readonly received: Array<{ from: NodeId; message: LeaderlessMessage }> = [];
  answer: ((from: NodeId, message: LeaderlessMessage) => LeaderlessMessage | undefined) | undefined;
  readonly #context: NodeContext<LeaderlessMessage>;

  constructor(context: NodeContext<LeaderlessMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: LeaderlessMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: LeaderlessMessage): void {
    this.received.push({ from, message });
    const reply = this.answer?.(from, message);
    if (reply !== undefined) this.#context.send(from, reply);
  }
}

/** Counts the Merkle hashes a node sends in anti-entropy, and the records it ships. */
export interface AntiEntropyCount {
  hashes: number;
  records: number;
}

export function countAntiEntropy(
  context: NodeContext<LeaderlessMessage>,
  count: AntiEntropyCount,
): NodeContext<LeaderlessMessage> {
  const record = (message: LeaderlessMessage): void => {
    if (message.type === "merkle") count.hashes += message.nodes.length;
    if (message.type === "merkle-records") count.records += message.records.length;
  };
  return observeSends(context, (_, message) => record(message));
}

/** n choose k. */
export function choose(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let result = 1;
  for (let index = 1; index <= k; index++) result = (result * (n - k + index)) / index;
  return result;
}
