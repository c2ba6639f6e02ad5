import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import {
  bucketOf,
  hashText,
  isNewer,
  preferenceList,
  type Hint,
  type LeaderlessMessage,
  type StoredRecord,
} from "../../chapters/04-replication/leaderless-protocol.js";

/**
 * Exercise 4.4 — leaderless replication, Dynamo-style. Every node stores the keys whose
 * preference list names it, and coordinates the requests clients send it: a write goes to the
 * key's N home replicas and succeeds once W have stored it; a read asks them and answers with
 * the newest of the first R replies, then repairs the replicas that answered with older
 * records. With a sloppy quorum, a write whose home replicas do not answer is kept as a hint on
 * a fallback node, which hands it home later. Anti-entropy compares Merkle trees to repair what
 * reads never touch. Deletes are tombstones, so that no repair brings a deleted value back.
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

interface PendingWrite {
  kind: "write";
  client: NodeId;
  clientRequestId: number;
  key: string;
  record: StoredRecord;
  acked: Set<NodeId>;
  /** Home replicas and the fallback standing in for each that did not answer. */
  hintedFor: Map<NodeId, NodeId>;
  done: boolean;
}

interface PendingRead {
  kind: "read";
  client: NodeId;
  clientRequestId: number;
  key: string;
  replies: Map<NodeId, StoredRecord | null>;
  newest: StoredRecord | null;
  done: boolean;
}

export class LeaderlessNode implements SimulatedNode<LeaderlessMessage> {
  readonly #context: NodeContext<LeaderlessMessage>;
  readonly #options: Required<LeaderlessOptions>;
  /** Durable: this replica's records, tombstones included, and hints kept for others. */
  #records = new Map<string, StoredRecord>();
  #hints: Hint[] = [];
  readonly #pending = new Map<number, PendingWrite | PendingRead>();
  #nextRequestId = 1;

  constructor(context: NodeContext<LeaderlessMessage>, options: LeaderlessOptions) {
    this.#context = context;
    this.#options = {
      requestTimeoutMs: 200,
      hintAfterMs: 50,
      handoffMs: 100,
      antiEntropyMs: 300,
      treeDepth: 4,
      ...options,
    };
  }

  /** The record this replica holds for `key` (a tombstone has value null); undefined if none. */
  record(key: string): StoredRecord | undefined {
    const found = this.#records.get(key);
    return found === undefined ? undefined : { ...found };
  }

  /** Every key this replica holds a record for, tombstones included. */
  keys(): string[] {
    return [...this.#records.keys()];
  }

  /** The hints this node keeps for other replicas. */
  get hints(): readonly Hint[] {
    return this.#hints;
  }

  onStart(): void {
    // One storage key per record, so that storing one record does not rewrite them all.
    this.#records = new Map();
    for (const name of this.#context.storage.keys())
      if (name.startsWith("record:"))
        this.#records.set(
          name.slice("record:".length),
          this.#context.storage.get<StoredRecord>(name)!,
        );
    this.#hints = this.#context.storage.get<Hint[]>("hints") ?? [];
    this.#context.setTimer("handoff", this.#options.handoffMs);
    if (this.#options.antiEntropyMs > 0)
      this.#context.setTimer(
        "anti-entropy",
        this.#context.randomInt(1, this.#options.antiEntropyMs),
      );
  }

  onTimer(name: string): void {
    if (name === "handoff") {
      for (const hint of this.#hints)
        this.#context.send(hint.home, { type: "handoff", key: hint.key, record: hint.record });
      this.#context.setTimer("handoff", this.#options.handoffMs);
    } else if (name === "anti-entropy") {
      this.#startAntiEntropy();
      this.#context.setTimer("anti-entropy", this.#options.antiEntropyMs);
    } else if (name.startsWith("hint:")) {
      this.#writeHints(Number(name.slice("hint:".length)));
    } else if (name.startsWith("timeout:")) {
      this.#timeOut(Number(name.slice("timeout:".length)));
    }
  }

  onMessage(from: NodeId, message: LeaderlessMessage): void {
    switch (message.type) {
      case "put":
        this.#coordinateWrite(from, message.requestId, message.key, {
          value: message.value,
          version: message.version,
        });
        return;
      case "get":
        this.#coordinateRead(from, message.requestId, message.key);
        return;
      case "store":
        if (message.hintFor !== undefined && message.hintFor !== this.#context.id)
          this.#keepHint({ home: message.hintFor, key: message.key, record: message.record });
        else this.#store(message.key, message.record);
        this.#context.send(from, { type: "stored", requestId: message.requestId });
        return;
      case "stored":
        this.#onStored(from, message.requestId);
        return;
      case "fetch":
        this.#context.send(from, {
          type: "fetched",
          requestId: message.requestId,
          key: message.key,
          record: this.#records.get(message.key) ?? null,
        });
        return;
      case "fetched":
        this.#onFetched(from, message.requestId, message.record);
        return;
      case "repair":
        this.#store(message.key, message.record);
        return;
      case "handoff":
        this.#store(message.key, message.record);
        this.#context.send(from, {
          type: "handoff-ack",
          key: message.key,
          version: message.record.version,
        });
        return;
      case "handoff-ack":
        this.#hints = this.#hints.filter(
          (hint) =>
            !(
              hint.home === from &&
              hint.key === message.key &&
              hint.record.version <= message.version
            ),
        );
        this.#context.storage.set("hints", this.#hints);
        return;
      case "merkle":
        this.#onMerkle(from, message.level, message.nodes);
        return;
      case "merkle-records":
        this.#onMerkleRecords(from, message.buckets, message.records, message.reply);
        return;
      default:
        return;
    }
  }

  /** Keeps `record` unless this replica already holds a newer one: versions never go back. */
  #store(key: string, record: StoredRecord): void {
    if (!isNewer(record, this.#records.get(key))) return;
    this.#records.set(key, { ...record });
    this.#context.storage.set(`record:${key}`, record);
  }

  #keepHint(hint: Hint): void {
    const same = this.#hints.find((each) => each.home === hint.home && each.key === hint.key);
    if (same !== undefined && !isNewer(hint.record, same.record)) return;
    this.#hints = [
      ...this.#hints.filter((each) => !(each.home === hint.home && each.key === hint.key)),
      hint,
    ];
    this.#context.storage.set("hints", this.#hints);
  }

  #homes(key: string): NodeId[] {
    return preferenceList(key, this.#options.nodes, this.#options.n).slice(0, this.#options.n);
  }

  #coordinateWrite(
    client: NodeId,
    clientRequestId: number,
    key: string,
    record: StoredRecord,
  ): void {
    const requestId = this.#nextRequestId++;
    const pending: PendingWrite = {
      kind: "write",
      client,
      clientRequestId,
      key,
      record,
      acked: new Set(),
      hintedFor: new Map(),
      done: false,
    };
    this.#pending.set(requestId, pending);
    for (const home of this.#homes(key)) {
      if (home === this.#context.id) {
        this.#store(key, record);
        pending.acked.add(home);
      } else {
        this.#context.send(home, { type: "store", requestId, key, record });
      }
    }
    this.#context.setTimer(`timeout:${requestId}`, this.#options.requestTimeoutMs);
    if (this.#options.sloppy)
      this.#context.setTimer(`hint:${requestId}`, this.#options.hintAfterMs);
    this.#finishWriteIfQuorum(requestId, pending);
  }

  /** Sloppy quorum: each home replica that has not answered gets a stand-in, with a hint. */
  #writeHints(requestId: number): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined || pending.kind !== "write" || pending.done) return;
    const list = preferenceList(pending.key, this.#options.nodes, this.#options.n);
    const fallbacks = list.slice(this.#options.n).filter((id) => !pending.acked.has(id));
    for (const home of list.slice(0, this.#options.n)) {
      if (pending.acked.has(home) || pending.hintedFor.has(home)) continue;
      const standIn = fallbacks.shift();
      if (standIn === undefined) break;
      pending.hintedFor.set(home, standIn);
      if (standIn === this.#context.id) {
        this.#keepHint({ home, key: pending.key, record: pending.record });
        pending.acked.add(standIn);
      } else {
        this.#context.send(standIn, {
          type: "store",
          requestId,
          key: pending.key,
          record: pending.record,
          hintFor: home,
        });
      }
    }
    this.#finishWriteIfQuorum(requestId, pending);
  }

  #onStored(from: NodeId, requestId: number): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined || pending.kind !== "write") return;
    // Acknowledgements count by replica: a duplicated "stored" is still one replica.
    pending.acked.add(from);
    this.#finishWriteIfQuorum(requestId, pending);
  }

  #finishWriteIfQuorum(requestId: number, pending: PendingWrite): void {
    if (pending.done || pending.acked.size < this.#options.w) return;
    pending.done = true;
    this.#context.send(pending.client, {
      type: "put-reply",
      requestId: pending.clientRequestId,
      ok: true,
    });
    // Kept until the timeout, so that late acknowledgements find it and are ignored.
  }

  #coordinateRead(client: NodeId, clientRequestId: number, key: string): void {
    const requestId = this.#nextRequestId++;
    const pending: PendingRead = {
      kind: "read",
      client,
      clientRequestId,
      key,
      replies: new Map(),
      newest: null,
      done: false,
    };
    this.#pending.set(requestId, pending);
    this.#context.setTimer(`timeout:${requestId}`, this.#options.requestTimeoutMs);
    for (const home of this.#homes(key)) {
      if (home === this.#context.id)
        this.#onFetched(home, requestId, this.#records.get(key) ?? null);
      else this.#context.send(home, { type: "fetch", requestId, key });
    }
  }

  #onFetched(from: NodeId, requestId: number, record: StoredRecord | null): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined || pending.kind !== "read" || pending.replies.has(from)) return;
    pending.replies.set(from, record);
    if (record !== null && isNewer(record, pending.newest)) pending.newest = record;
    if (!pending.done && pending.replies.size >= this.#options.r) {
      pending.done = true;
      this.#context.send(pending.client, {
        type: "get-reply",
        requestId: pending.clientRequestId,
        ok: true,
        value: pending.newest?.value ?? null,
        version: pending.newest?.version ?? 0,
      });
    }
    // Read repair: every replica that answered with something older gets the newest record,
    // including those that answered after the client had its answer.
    if (pending.done && pending.newest !== null) {
      for (const [replica, seen] of pending.replies) {
        if (seen !== null && !isNewer(pending.newest, seen)) continue;
        if (replica === this.#context.id) this.#store(pending.key, pending.newest);
        else
          this.#context.send(replica, { type: "repair", key: pending.key, record: pending.newest });
        pending.replies.set(replica, pending.newest);
      }
    }
  }

  #timeOut(requestId: number): void {
    const pending = this.#pending.get(requestId);
    this.#pending.delete(requestId);
    this.#context.cancelTimer(`hint:${requestId}`);
    if (pending === undefined || pending.done) return;
    if (pending.kind === "write")
      this.#context.send(pending.client, {
        type: "put-reply",
        requestId: pending.clientRequestId,
        ok: false,
      });
    else
      this.#context.send(pending.client, {
        type: "get-reply",
        requestId: pending.clientRequestId,
        ok: false,
        value: null,
        version: 0,
      });
  }

  // Anti-entropy.

  /** The records this node holds for keys that `peer` also replicates, by Merkle leaf. */
  #sharedByBucket(peer: NodeId): Map<number, Array<{ key: string; record: StoredRecord }>> {
    const buckets = new Map<number, Array<{ key: string; record: StoredRecord }>>();
    for (const [key, record] of this.#records) {
      if (!this.#homes(key).includes(peer)) continue;
      const bucket = bucketOf(key, this.#options.treeDepth);
      let list = buckets.get(bucket);
      if (list === undefined) buckets.set(bucket, (list = []));
      list.push({ key, record });
    }
    return buckets;
  }

  /** Every level of the tree, leaves last: `tree[level][index]`. */
  #tree(peer: NodeId): number[][] {
    const depth = this.#options.treeDepth;
    const buckets = this.#sharedByBucket(peer);
    const leaves = Array.from({ length: 2 ** depth }, (_, bucket) => {
      const records = buckets.get(bucket);
      if (records === undefined) return 0;
      const text = records
        .map(({ key, record }) => `${key}\u0000${record.version}\u0000${record.value ?? "\u0001"}`)
        .sort()
        .join("\u0002");
      return hashText(text);
    });
    const levels = [leaves];
    while (levels[0]!.length > 1) {
      const below = levels[0]!;
      levels.unshift(
        Array.from({ length: below.length / 2 }, (_, index) =>
          hashText(`${below[2 * index]},${below[2 * index + 1]}`),
        ),
      );
    }
    return levels;
  }

  #startAntiEntropy(): void {
    const peers = this.#options.nodes.filter((id) => id !== this.#context.id);
    if (peers.length === 0) return;
    const peer = peers[this.#context.randomInt(0, peers.length - 1)]!;
    this.#context.send(peer, {
      type: "merkle",
      level: 0,
      nodes: [{ index: 0, hash: this.#tree(peer)[0]![0]! }],
    });
  }

  #onMerkle(from: NodeId, level: number, nodes: Array<{ index: number; hash: number }>): void {
    const tree = this.#tree(from);
    const mine = tree[level];
    if (mine === undefined) return;
    const differing = nodes
      .filter(({ index, hash }) => mine[index] !== hash)
      .map(({ index }) => index);
    if (differing.length === 0) return;
    if (level === this.#options.treeDepth) {
      this.#sendRecords(from, differing, true);
      return;
    }
    const children = differing.flatMap((index) => [2 * index, 2 * index + 1]);
    this.#context.send(from, {
      type: "merkle",
      level: level + 1,
      nodes: children.map((index) => ({ index, hash: tree[level + 1]![index]! })),
    });
  }

  #sendRecords(peer: NodeId, buckets: number[], reply: boolean): void {
    const shared = this.#sharedByBucket(peer);
    this.#context.send(peer, {
      type: "merkle-records",
      buckets,
      records: buckets.flatMap((bucket) => shared.get(bucket) ?? []),
      reply,
    });
  }

  #onMerkleRecords(
    from: NodeId,
    buckets: number[],
    records: Array<{ key: string; record: StoredRecord }>,
    reply: boolean,
  ): void {
    if (reply) this.#sendRecords(from, buckets, false);
    for (const { key, record } of records)
      if (this.#homes(key).includes(this.#context.id)) this.#store(key, record);
  }
}
