import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 3.3 — serializable transactions across shards: two-phase commit plus strict
 * two-phase locking, with wait-die to avoid deadlock.
 *
 * Accounts are spread over shards by `shardOf`. A client runs each transaction in two rounds.
 * First it locks every key it will touch (shared to read, exclusive to write) at every shard
 * involved, and gets their values. Then, holding every lock, it computes the writes and commits
 * them with two-phase commit; read-only transactions just release. Locks are held until the
 * decision (strict 2PL), which makes every history serializable. A conflict is settled by a
 * deadlock-avoidance rule of your choice (no-wait, wait-die or wound-wait: see the notes); an
 * aborted attempt retries with the same timestamp and a new attempt number.
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

/**
 * A shard: holds some accounts, and locks and commits on behalf of the clients' transactions.
 *
 * What the tests expect:
 * - `lock`: grant the locks (shared for `reads`, exclusive for `writes`) when no other
 *   transaction holds a conflicting one, and answer `locked` with the values of every key
 *   requested. On a conflict, apply your deadlock-avoidance rule: wait (answer later, when the
 *   locks are free) or answer `refused`. Never wait in both directions of age.
 * - `prepare`: remember the writes and vote yes if the attempt holds its locks, no otherwise.
 * - `commit`: install the prepared writes, then release the attempt's locks; `abort`: release
 *   them. Answer both with `released`.
 * - Messages of an attempt older than the latest seen of the same transaction are stale: ignore
 *   them. A newer attempt releases whatever an older one held. A duplicate `lock` of an attempt
 *   that is already finished must not take locks again.
 */
export class Shard implements SimulatedNode<ShardMessage> {
  readonly #context: NodeContext<ShardMessage>;
  readonly #initial: Record<string, StoredValue>;

  constructor(context: NodeContext<ShardMessage>, initial: Record<string, StoredValue>) {
    this.#context = context;
    this.#initial = initial;
  }

  /** The committed value of `key` (`initial`'s until a transaction writes it). */
  value(key: string): StoredValue | undefined {
    return todo("3.3", `return the committed value of ${key} (it starts as ${this.#initial[key]})`);
  }

  /** Keys locked now, each with the transactions holding it. */
  get locks(): ReadonlyMap<string, string[]> {
    return todo("3.3", "return every locked key with the transactions holding it");
  }

  /** Prepared writes, by transaction and attempt. */
  get prepared(): Array<{
    transaction: string;
    attempt: number;
    writes: Record<string, StoredValue>;
  }> {
    return todo("3.3", "return the writes of every prepared attempt");
  }

  /** Handles lock, prepare, commit and abort. */
  onMessage(from: NodeId, message: ShardMessage): void {
    todo(
      "3.3",
      `handle a ${message.type} from ${from} (${message.transaction}, attempt ${message.attempt}) at ${this.#context.id}`,
    );
  }
}

/**
 * A client: runs its transactions one at a time, each as the coordinator of its own two-phase
 * commit, retrying until it commits.
 *
 * What the tests expect:
 * - A transaction gets a timestamp at its first attempt (from `context.now()`, made unique with
 *   the client's rank) and keeps it on every retry; each attempt has a new attempt number.
 * - Round one: send `lock` to every shard holding a key it touches (`shardOf`, `keysOf`). With
 *   `locked` from all of them, compute the writes (a put's balances, or a transfer's two new
 *   balances, each as "balance@transaction-id"); a get writes nothing.
 * - Round two: send `prepare` to the shards it writes; with every yes, the transaction commits:
 *   record it in `committed` (its reads are every value the shards sent it), then send `commit`
 *   to every shard of the attempt until each answers `released`. A get commits at once.
 * - `refused`, a no vote or no answer in about 500 ms aborts the attempt: send `abort` to its
 *   shards, wait a little (`context.randomInt`), and retry.
 * - Only the current attempt's answers count.
 */
export class TransactionClient implements SimulatedNode<ShardMessage> {
  readonly #context: NodeContext<ShardMessage>;
  readonly #shards: readonly NodeId[];

  constructor(context: NodeContext<ShardMessage>, shards: readonly NodeId[]) {
    this.#context = context;
    this.#shards = shards;
  }

  /** Queues `transaction`; transactions run one at a time, each until it commits. */
  run(transaction: ShardTransaction): void {
    todo(
      "3.3",
      `queue ${transaction.id} and, if ${this.#context.id} is idle, start its first attempt on ${this.#shards.join(", ")}`,
    );
  }

  /** The transactions this client committed, oldest first. */
  get committed(): readonly CommittedTransaction[] {
    return todo("3.3", "return the transactions this client committed, oldest first");
  }

  /** Whether this attempt of `transaction` has been decided commit. */
  decidedCommit(transaction: string, attempt: number): boolean {
    return todo("3.3", `say whether attempt ${attempt} of ${transaction} was decided commit`);
  }

  /** Nothing left to run. */
  get idle(): boolean {
    return todo("3.3", "say whether this client has nothing running or queued");
  }

  /** Handles locked, refused, vote and released. */
  onMessage(from: NodeId, message: ShardMessage): void {
    todo("3.3", `handle a ${message.type} from ${from} for ${message.transaction}`);
  }

  /** Your timers: the attempt timeout and the pause before a retry. */
  onTimer(name: string): void {
    todo("3.3", `timer "${name}"`);
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
