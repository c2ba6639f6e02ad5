import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import { ringOf, type CacheConfig, type CacheMessage } from "./sharded-cache-protocol.js";

// Provided, complete: the directory and the client the exercise 6.5 tests use. Reading it
// shows what your node can rely on:
// - the directory alone decides membership; it numbers its configurations 1, 2, 3, … and
//   resends the current one to every node and client every 50 ms;
// - a client has one request outstanding, numbers its requests 1, 2, 3, … (a put's number is
//   its version), routes it by the ring of the newest epoch it knows, and resends it, with the
//   same number, every 40 ms until it is answered "ok".

/** Decides which cache nodes own the ring in each epoch, and tells everyone. */
export class ShardDirectory implements SimulatedNode<CacheMessage> {
  readonly #context: NodeContext<CacheMessage>;
  readonly #everyone: readonly NodeId[];
  #config: CacheConfig;

  /** `everyone`: every node and client that should hear the configuration. */
  constructor(context: NodeContext<CacheMessage>, members: string[], everyone: NodeId[]) {
    this.#context = context;
    this.#everyone = everyone;
    this.#config = { epoch: 1, members: [...members].sort(), previous: [] };
  }

  get config(): CacheConfig {
    return this.#config;
  }

  /** Starts the next epoch with `members`. */
  change(members: string[]): void {
    this.#config = {
      epoch: this.#config.epoch + 1,
      members: [...members].sort(),
      previous: this.#config.members,
    };
    this.#context.note(`epoch ${this.#config.epoch}: ${this.#config.members.join(", ")}`);
    this.#announce();
  }

  onStart(): void {
    this.#context.setTimer("announce", 0);
  }

  onMessage(): void {}

  onTimer(): void {
    this.#announce();
    this.#context.setTimer("announce", 50);
  }

  #announce(): void {
    for (const id of this.#everyone)
      this.#context.send(id, { type: "config", config: this.#config });
  }
}

/** One operation the client finished: what it asked, who said "ok" in which epoch, and the answer. */
export interface CacheOperation {
  kind: "put" | "get";
  key: string;
  /** The value written, or the value read ("" when the key had none). */
  value: string;
  request: number;
  node: NodeId;
  epoch: number;
  doneMs: number;
}

/** Runs a list of puts and gets, one at a time, retrying each until a node says "ok". */
export class CacheClient implements SimulatedNode<CacheMessage> {
  readonly #context: NodeContext<CacheMessage>;
  readonly #queue: Array<{ kind: "put" | "get"; key: string; value: string }> = [];
  readonly done: CacheOperation[] = [];
  #config: CacheConfig = { epoch: 0, members: [], previous: [] };
  #ring = ringOf([]);
  #request = 0;
  #current: { kind: "put" | "get"; key: string; value: string } | undefined;

  constructor(context: NodeContext<CacheMessage>) {
    this.#context = context;
  }

  /** Whether every queued operation has finished. */
  get idle(): boolean {
    return this.#current === undefined && this.#queue.length === 0;
  }

  put(key: string, value: string): void {
    this.#queue.push({ kind: "put", key, value });
    this.#next();
  }

  get(key: string): void {
    this.#queue.push({ kind: "get", key, value: "" });
    this.#next();
  }

  onStart(): void {}

  onMessage(from: NodeId, message: CacheMessage): void {
    if (message.type === "config") {
      if (message.config.epoch > this.#config.epoch) {
        this.#config = message.config;
        this.#ring = ringOf(message.config.members);
      }
      if (this.#current !== undefined && !this.#context.hasTimer("retry")) this.#send();
      return;
    }
    if (message.type !== "reply" || message.request !== this.#request) return;
    if (this.#current === undefined || message.status !== "ok") return;
    const operation = this.#current;
    this.done.push({
      kind: operation.kind,
      key: operation.key,
      value: operation.kind === "put" ? operation.value : (message.entry?.value ?? ""),
      request: this.#request,
      node: from,
      epoch: message.epoch,
      doneMs: this.#context.monotonicNow(),
    });
    this.#current = undefined;
    this.#context.cancelTimer("retry");
    this.#next();
  }

  onTimer(): void {
    this.#send();
  }

  #next(): void {
    if (this.#current !== undefined) return;
    this.#current = this.#queue.shift();
    if (this.#current === undefined) return;
    this.#request++;
    this.#send();
  }

  #send(): void {
    const operation = this.#current;
    if (operation === undefined) return;
    this.#context.setTimer("retry", 40);
    if (this.#config.epoch === 0) return;
    const owner = this.#ring.nodeFor(operation.key);
    const { epoch } = this.#config;
    this.#context.send(
      owner,
      operation.kind === "put"
        ? { type: "put", request: this.#request, epoch, key: operation.key, value: operation.value }
        : { type: "get", request: this.#request, epoch, key: operation.key },
    );
  }
}
