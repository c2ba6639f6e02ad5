import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 3.3 — serializable transactions across shards: two-phase commit plus strict
 * two-phase locking, with wait-die to avoid deadlock.
 *
 * Accounts are spread over shards by `shardOf`. A client runs each transaction in two rounds.
 * First it locks every key it will touch (shared to read, exclusive to write) at every shard
 * involved, and gets their values. Then, holding every lock, it computes the writes and commits
 * them with two-phase commit; read-only transactions just release. Locks are held until the
 * decision (strict 2PL), which makes every history serializable. A conflict is settled by
 * wait-die: an older transaction waits for a younger holder, a younger one dies (aborts) and
 * retries later with the same timestamp and a new attempt number.
 */

/** A stored value: the balance and the transaction that wrote it, so that every write is unique. */
export type StoredValue = string;

export function balanceOf(value: StoredValue): number {
  return Number(value.slice(0, value.indexOf("@")));
}

/** Which shard holds `key`: the accounts are spread by a fixed hash of their name. */
export function shardOf(key: string, shards: readonly NodeId[]): NodeId {
  let hash = 0;
  for (const character of key) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_003;
  return shards[hash % shards.length]!;
}

export type ShardTransaction =
  | { kind: "get"; id: string; keys: string[] }
  | { kind: "put"; id: string; balances: Record<string, number> }
  | { kind: "transfer"; id: string; from: string; to: string; amount: number };

/** What a transaction did, once it committed: what it read and wrote, for the checker. */
export interface CommittedTransaction {
  id: string;
  reads: Record<string, StoredValue>;
  writes: Record<string, StoredValue>;
}

export type ShardMessage =
  /** Client → shard: lock these keys and send their values. */
  | {
      type: "lock";
      transaction: string;
      attempt: number;
      timestamp: number;
      reads: string[];
      writes: string[];
    }
  | { type: "locked"; transaction: string; attempt: number; values: Record<string, StoredValue> }
  /** Shard → client: the deadlock rule says this attempt must abort. */
  | { type: "refused"; transaction: string; attempt: number }
  | {
      type: "prepare";
      transaction: string;
      attempt: number;
      writes: Record<string, StoredValue>;
    }
  | { type: "vote"; transaction: string; attempt: number; vote: "yes" | "no" }
  | { type: "commit"; transaction: string; attempt: number }
  | { type: "abort"; transaction: string; attempt: number }
  /** Shard → client: the commit or abort is applied and the locks are released. */
  | { type: "released"; transaction: string; attempt: number };

interface LockRequest {
  client: NodeId;
  transaction: string;
  attempt: number;
  timestamp: number;
  reads: string[];
  writes: string[];
}

/** One attempt's hold on a shard: its locks, and once prepared, its writes. */
interface Holder extends LockRequest {
  prepared: Record<string, StoredValue> | undefined;
}

export class Shard implements SimulatedNode<ShardMessage> {
  readonly #context: NodeContext<ShardMessage>;
  readonly #values = new Map<string, StoredValue>();
  /** Granted lock requests, by transaction (one attempt per transaction at a time). */
  readonly #holders = new Map<string, Holder>();
  /** Requests waiting for locks, oldest first. */
  #waiting: LockRequest[] = [];
  /** The latest attempt seen of each transaction: anything older is stale. */
  readonly #latest = new Map<string, number>();
  /** Attempts already committed or aborted here: a duplicate lock request must not revive them. */
  readonly #finished = new Set<string>();

  constructor(context: NodeContext<ShardMessage>, initial: Record<string, StoredValue>) {
    this.#context = context;
    for (const [key, value] of Object.entries(initial)) this.#values.set(key, value);
  }

  /** The committed value of `key`. */
  value(key: string): StoredValue | undefined {
    return this.#values.get(key);
  }

  /** Keys locked now, each with the transactions holding it. */
  get locks(): ReadonlyMap<string, string[]> {
    const locks = new Map<string, string[]>();
    for (const holder of this.#holders.values())
      for (const key of [...holder.reads, ...holder.writes])
        locks.set(key, [...(locks.get(key) ?? []), holder.transaction]);
    return locks;
  }

  /** Prepared writes, by transaction and attempt. */
  get prepared(): Array<{
    transaction: string;
    attempt: number;
    writes: Record<string, StoredValue>;
  }> {
    return [...this.#holders.values()]
      .filter((holder) => holder.prepared !== undefined)
      .map((holder) => ({
        transaction: holder.transaction,
        attempt: holder.attempt,
        writes: holder.prepared!,
      }));
  }

  onMessage(from: NodeId, message: ShardMessage): void {
    const { transaction, attempt } = message;
    if (attempt < (this.#latest.get(transaction) ?? 0)) return; // a message of an old attempt
    if (attempt > (this.#latest.get(transaction) ?? 0)) {
      // A newer attempt: whatever the old one held is released.
      this.#latest.set(transaction, attempt);
      this.#release(transaction);
    }
    const holder = this.#holders.get(transaction);
    switch (message.type) {
      case "lock":
        if (
          holder !== undefined ||
          this.#finished.has(`${transaction}#${attempt}`) ||
          this.#waiting.some((each) => each.transaction === transaction)
        )
          return; // a duplicate
        return this.#request({ client: from, ...message });
      case "prepare":
        if (holder === undefined) {
          this.#context.send(from, { type: "vote", transaction, attempt, vote: "no" });
          return;
        }
        holder.prepared = message.writes;
        this.#context.send(from, { type: "vote", transaction, attempt, vote: "yes" });
        return;
      case "commit":
        if (holder?.prepared !== undefined)
          for (const [key, value] of Object.entries(holder.prepared)) this.#values.set(key, value);
        this.#finished.add(`${transaction}#${attempt}`);
        this.#release(transaction);
        this.#context.send(from, { type: "released", transaction, attempt });
        return;
      case "abort":
        this.#finished.add(`${transaction}#${attempt}`);
        this.#release(transaction);
        this.#context.send(from, { type: "released", transaction, attempt });
        return;
      default:
        return;
    }
  }

  #conflicts(request: LockRequest): Holder[] {
    return [...this.#holders.values()].filter(
      (holder) =>
        holder.transaction !== request.transaction &&
        (request.writes.some((key) => holder.reads.includes(key) || holder.writes.includes(key)) ||
          request.reads.some((key) => holder.writes.includes(key))),
    );
  }

  #request(request: LockRequest): void {
    const conflicts = this.#conflicts(request);
    if (conflicts.length === 0) return this.#grant(request);
    // Wait-die: an older transaction may wait for younger ones; a younger one dies, so no
    // cycle of waiting can form (every wait goes from older to younger).
    if (conflicts.every((holder) => request.timestamp < holder.timestamp)) {
      this.#waiting.push(request);
      this.#waiting.sort((left, right) => left.timestamp - right.timestamp);
      return;
    }
    this.#context.send(request.client, {
      type: "refused",
      transaction: request.transaction,
      attempt: request.attempt,
    });
  }

  #grant(request: LockRequest): void {
    this.#holders.set(request.transaction, { ...request, prepared: undefined });
    const values: Record<string, StoredValue> = {};
    for (const key of [...request.reads, ...request.writes]) values[key] = this.#values.get(key)!;
    this.#context.send(request.client, {
      type: "locked",
      transaction: request.transaction,
      attempt: request.attempt,
      values,
    });
  }

  #release(transaction: string): void {
    this.#holders.delete(transaction);
    this.#waiting = this.#waiting.filter((each) => each.transaction !== transaction);
    // Locks are free again: waiting requests are looked at again, oldest first.
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const request of waiting) this.#request(request);
  }
}

/** How long a client waits for an answer before it aborts the attempt and retries. */
const attemptTimeoutMs = 500;

interface Attempt {
  transaction: ShardTransaction;
  attempt: number;
  timestamp: number;
  shards: NodeId[];
  phase: "locking" | "preparing" | "releasing" | "aborted";
  values: Record<string, StoredValue>;
  locked: Set<NodeId>;
  votes: Set<NodeId>;
  released: Set<NodeId>;
  writes: Record<string, StoredValue>;
  committing: boolean;
}

export class TransactionClient implements SimulatedNode<ShardMessage> {
  readonly #context: NodeContext<ShardMessage>;
  readonly #shards: readonly NodeId[];
  readonly #queue: ShardTransaction[] = [];
  readonly #committed: CommittedTransaction[] = [];
  #current: Attempt | undefined;
  #sequence = 0;

  constructor(context: NodeContext<ShardMessage>, shards: readonly NodeId[]) {
    this.#context = context;
    this.#shards = shards;
  }

  /** Queues `transaction`; transactions run one at a time, each until it commits. */
  run(transaction: ShardTransaction): void {
    this.#queue.push(transaction);
    if (this.#current === undefined) this.#next();
  }

  /** The transactions this client committed, oldest first. */
  get committed(): readonly CommittedTransaction[] {
    return this.#committed;
  }

  /** Whether `transaction`'s current attempt has been decided commit. */
  decidedCommit(transaction: string, attempt: number): boolean {
    return (
      this.#committed.some((each) => each.id === transaction) ||
      (this.#current?.transaction.id === transaction &&
        this.#current.attempt === attempt &&
        this.#current.committing)
    );
  }

  /** Nothing left to run. */
  get idle(): boolean {
    return this.#current === undefined && this.#queue.length === 0;
  }

  onMessage(from: NodeId, message: ShardMessage): void {
    const current = this.#current;
    // Only the current attempt's messages count: a retry never uses an old attempt's answers.
    if (
      current === undefined ||
      message.transaction !== current.transaction.id ||
      message.attempt !== current.attempt ||
      !current.shards.includes(from)
    )
      return;
    if (message.type === "refused" && current.phase === "locking") return this.#abort();
    if (message.type === "locked" && current.phase === "locking") {
      current.locked.add(from);
      Object.assign(current.values, message.values);
      if (current.shards.every((shard) => current.locked.has(shard))) this.#prepare();
    } else if (message.type === "vote" && current.phase === "preparing") {
      if (message.vote === "no") return this.#abort();
      current.votes.add(from);
      if (this.#writeShards(current).every((shard) => current.votes.has(shard))) this.#finish();
    } else if (message.type === "released" && current.phase === "releasing") {
      current.released.add(from);
      if (current.shards.every((shard) => current.released.has(shard))) this.#done();
    }
  }

  onTimer(name: string): void {
    const current = this.#current;
    if (current === undefined) return;
    if (name === "retry") return this.#start();
    if (name === "timeout" && current.phase === "aborted") return;
    if (name === "timeout" && current.phase !== "releasing") return this.#abort();
    if (name === "timeout") return this.#sendRelease(current);
  }

  #next(): void {
    const transaction = this.#queue.shift();
    if (transaction === undefined) {
      this.#current = undefined;
      return;
    }
    // The timestamp is taken once, at the first attempt, and kept by every retry: an aborted
    // transaction grows older until it is the oldest, and the oldest always gets its locks.
    const timestamp = this.#context.now() * 100 + this.#rank();
    this.#current = {
      transaction,
      attempt: 0,
      timestamp,
      shards: [],
      phase: "locking",
      values: {},
      locked: new Set(),
      votes: new Set(),
      released: new Set(),
      writes: {},
      committing: false,
    };
    this.#start();
  }

  #rank(): number {
    return [this.#context.id, ...this.#context.peers].sort().indexOf(this.#context.id);
  }

  #start(): void {
    const current = this.#current!;
    current.attempt++;
    current.phase = "locking";
    current.values = {};
    current.locked = new Set();
    current.votes = new Set();
    current.released = new Set();
    current.writes = {};
    const { reads, writes } = keysOf(current.transaction);
    current.shards = [
      ...new Set([...reads, ...writes].map((key) => shardOf(key, this.#shards))),
    ].sort();
    for (const shard of current.shards) {
      this.#context.send(shard, {
        type: "lock",
        transaction: current.transaction.id,
        attempt: current.attempt,
        timestamp: current.timestamp,
        reads: reads.filter((key) => shardOf(key, this.#shards) === shard),
        writes: writes.filter((key) => shardOf(key, this.#shards) === shard),
      });
    }
    this.#context.setTimer("timeout", attemptTimeoutMs);
  }

  #writeShards(current: Attempt): NodeId[] {
    return [...new Set(Object.keys(current.writes).map((key) => shardOf(key, this.#shards)))];
  }

  #prepare(): void {
    const current = this.#current!;
    const id = current.transaction.id;
    const transaction = current.transaction;
    if (transaction.kind === "put") {
      for (const [key, balance] of Object.entries(transaction.balances))
        current.writes[key] = `${balance}@${id}`;
    } else if (transaction.kind === "transfer") {
      const from = balanceOf(current.values[transaction.from]!);
      const to = balanceOf(current.values[transaction.to]!);
      current.writes[transaction.from] = `${from - transaction.amount}@${id}`;
      current.writes[transaction.to] = `${to + transaction.amount}@${id}`;
    }
    const writeShards = this.#writeShards(current);
    if (writeShards.length === 0) return this.#finish();
    current.phase = "preparing";
    for (const shard of writeShards) {
      const writes = Object.fromEntries(
        Object.entries(current.writes).filter(([key]) => shardOf(key, this.#shards) === shard),
      );
      this.#context.send(shard, {
        type: "prepare",
        transaction: id,
        attempt: current.attempt,
        writes,
      });
    }
    this.#context.setTimer("timeout", attemptTimeoutMs);
  }

  /** Every lock is held and every vote is yes: the decision point. */
  #finish(): void {
    const current = this.#current!;
    current.phase = "releasing";
    current.committing = true;
    // Everything it was sent under its locks is what it read.
    this.#committed.push({
      id: current.transaction.id,
      reads: { ...current.values },
      writes: current.writes,
    });
    this.#sendRelease(current);
  }

  #sendRelease(current: Attempt): void {
    const type = current.committing ? "commit" : "abort";
    for (const shard of current.shards)
      if (!current.released.has(shard))
        this.#context.send(shard, {
          type,
          transaction: current.transaction.id,
          attempt: current.attempt,
        });
    this.#context.setTimer("timeout", attemptTimeoutMs / 5);
  }

  #abort(): void {
    const current = this.#current!;
    current.phase = "aborted";
    for (const shard of current.shards)
      this.#context.send(shard, {
        type: "abort",
        transaction: current.transaction.id,
        attempt: current.attempt,
      });
    this.#context.cancelTimer("timeout");
    // Retry after a random pause, so that two transactions that keep colliding fall out of step.
    this.#context.setTimer("retry", this.#context.randomInt(10, 60));
  }

  #done(): void {
    this.#context.cancelTimer("timeout");
    if (this.#current!.committing) this.#next();
    else this.#start();
  }
}

/** The keys a transaction reads and writes. */
export function keysOf(transaction: ShardTransaction): { reads: string[]; writes: string[] } {
  switch (transaction.kind) {
    case "get":
      return { reads: [...transaction.keys].sort(), writes: [] };
    case "put":
      return { reads: [], writes: Object.keys(transaction.balances).sort() };
    case "transfer":
      return { reads: [], writes: [transaction.from, transaction.to].sort() };
  }
}
