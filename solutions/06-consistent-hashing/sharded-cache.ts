import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import {
  ringOf,
  type CacheConfig,
  type CacheEntry,
  type CacheMessage,
} from "../../chapters/06-consistent-hashing/sharded-cache-protocol.js";

/**
 * Exercise 6.5 — a sharded cache that rebalances online (reference solution).
 *
 * Durable records: "config" (the epoch this node is in), "entry:<key>" (each cached entry),
 * "received" (who has sent this epoch's transfer) and "unacked" (who has not acknowledged ours).
 */
export class CacheNode implements SimulatedNode<CacheMessage> {
  readonly #context: NodeContext<CacheMessage>;
  #config: CacheConfig = { epoch: 0, members: [], previous: [] };
  #ring: ReturnType<typeof ringOf> = ringOf([]);
  readonly #entries = new Map<string, CacheEntry>();
  #received = new Set<NodeId>();
  #unacked = new Set<NodeId>();

  constructor(context: NodeContext<CacheMessage>) {
    this.#context = context;
  }

  /** The epoch this node is in (0 before its first configuration). */
  get epoch(): number {
    return this.#config.epoch;
  }

  /** Every entry this node holds, for the tests' checks. */
  get entries(): ReadonlyMap<string, CacheEntry> {
    return this.#entries;
  }

  onStart(): void {
    const storage = this.#context.storage;
    this.#config = storage.get<CacheConfig>("config") ?? this.#config;
    this.#ring = ringOf(this.#config.members);
    for (const name of storage.keys())
      if (name.startsWith("entry:"))
        this.#entries.set(name.slice("entry:".length), storage.get<CacheEntry>(name)!);
    this.#received = new Set(storage.get<NodeId[]>("received") ?? []);
    this.#unacked = new Set(storage.get<NodeId[]>("unacked") ?? []);
    if (this.#unacked.size > 0) this.#context.setTimer("resend", 0);
  }

  onMessage(from: NodeId, message: CacheMessage): void {
    switch (message.type) {
      case "config":
        if (message.config.epoch > this.#config.epoch) this.#adopt(message.config);
        return;
      case "put":
      case "get": {
        const refusal = this.#refusal(message.epoch, message.key);
        if (refusal !== undefined) {
          this.#context.send(from, {
            type: "reply",
            request: message.request,
            status: refusal,
            epoch: this.#config.epoch,
          });
          return;
        }
        if (message.type === "put")
          this.#store(message.key, { value: message.value, version: message.request });
        const entry = this.#entries.get(message.key);
        this.#context.send(from, {
          type: "reply",
          request: message.request,
          status: "ok",
          epoch: this.#config.epoch,
          ...(message.type === "get" && entry !== undefined ? { entry } : {}),
        });
        return;
      }
      case "transfer":
        // A transfer for a later epoch waits (unacknowledged) until we are in it.
        if (message.epoch > this.#config.epoch) return;
        if (message.epoch === this.#config.epoch) {
          for (const { key, value, version } of message.entries)
            this.#store(key, { value, version });
          this.#received.add(from);
          this.#context.storage.set("received", [...this.#received]);
        }
        // Stored first, acknowledged second; an old or repeated transfer is acknowledged again.
        this.#context.send(from, { type: "transfer-ack", epoch: message.epoch });
        return;
      case "transfer-ack":
        if (message.epoch !== this.#config.epoch || !this.#unacked.has(from)) return;
        this.#unacked.delete(from);
        this.#context.storage.set("unacked", [...this.#unacked]);
        // The receiver has them durably: the keys it owns now are no longer ours to keep.
        for (const key of [...this.#entries.keys()])
          if (this.#ring.nodeFor(key) === from) this.#forget(key);
        return;
      case "reply":
        return;
    }
  }

  onTimer(): void {
    if (this.#unacked.size === 0) return;
    for (const member of this.#unacked) this.#sendTransfer(member);
    this.#context.setTimer("resend", 60);
  }

  /** Why a request for `key` routed by the ring of `epoch` must be refused, if it must. */
  #refusal(epoch: number, key: string): "wrong-epoch" | "wrong-owner" | "not-ready" | undefined {
    if (epoch !== this.#config.epoch) return "wrong-epoch";
    if (this.#ring.nodeFor(key) !== this.#context.id) return "wrong-owner";
    const waiting = this.#config.previous.filter(
      (member) => member !== this.#context.id && !this.#received.has(member),
    );
    if (waiting.length > 0) return "not-ready";
    return undefined;
  }

  #adopt(config: CacheConfig): void {
    const storage = this.#context.storage;
    this.#config = config;
    this.#ring = ringOf(config.members);
    this.#received = new Set();
    const wasMember = config.previous.includes(this.#context.id);
    this.#unacked = new Set(
      wasMember ? config.members.filter((member) => member !== this.#context.id) : [],
    );
    storage.set("config", config);
    storage.set("received", []);
    storage.set("unacked", [...this.#unacked]);
    this.#context.note(`epoch ${config.epoch}: ${config.members.join(", ")}`);
    this.onTimer();
  }

  #sendTransfer(member: NodeId): void {
    const entries = [...this.#entries]
      .filter(([key]) => this.#ring.nodeFor(key) === member)
      .map(([key, entry]) => ({ key, ...entry }));
    this.#context.send(member, { type: "transfer", epoch: this.#config.epoch, entries });
  }

  /** Keeps `entry` unless this node already holds a newer version of `key`. */
  #store(key: string, entry: CacheEntry): void {
    const held = this.#entries.get(key);
    if (held !== undefined && held.version >= entry.version) return;
    this.#entries.set(key, entry);
    this.#context.storage.set(`entry:${key}`, entry);
  }

  #forget(key: string): void {
    this.#entries.delete(key);
    this.#context.storage.delete(`entry:${key}`);
  }
}
