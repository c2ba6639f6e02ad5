import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import type {
  ClientMessage,
  ConfigMessage,
  LogEntry,
  ReplicaMessage,
  ReplicationMode,
  SingleLeaderMessage,
} from "../../chapters/04-replication/single-leader-protocol.js";

/**
 * Exercise 4.1 — single-leader replication with failover and epoch fencing.
 *
 * One replica, the leader of the current epoch, takes every write, appends it to its log and
 * ships the log to the followers; the mode says how many followers must have a write before
 * the client hears "ok". A configuration service (config-service.ts) names the leader of each
 * epoch and grants it a lease; when the leader goes quiet it names another, in a higher epoch.
 * Everything a replica does is fenced by epoch: it never accepts anything from an epoch older
 * than the newest it knows, so a deposed leader cannot change the log.
 */

export interface ReplicaOptions {
  mode: ReplicationMode;
  /** The configuration service's node id. */
  configService: NodeId;
  /** Every replica, this one included. */
  replicas: readonly NodeId[];
  /** How often to heartbeat to the configuration service. @default 50 */
  heartbeatMs?: number;
  /** The lease the configuration service grants; must match its own. @default 300 */
  leaseMs?: number;
  /** How often the leader sends appends (with new entries, or empty as heartbeats). @default 25 */
  replicateMs?: number;
}

/** What a key holds in the applied state: its value and the log index that wrote it. */
export interface VersionedValue {
  value: string;
  version: number;
}

/**
 * The lease is shortened by this fraction, so that a leader's clock running fast by up to
 * 1% (10,000 ppm, far more than the simulated drift) still gives up before the configuration
 * service, counting on its own clock, names another leader.
 */
const leaseSafety = 0.99;
/** At most this many entries in one append, so catching up a far-behind follower is bounded. */
const batchMax = 64;

export class ReplicaNode implements SimulatedNode<SingleLeaderMessage> {
  readonly #context: NodeContext<SingleLeaderMessage>;
  readonly #mode: ReplicationMode;
  readonly #configService: NodeId;
  readonly #followers: NodeId[];
  readonly #heartbeatMs: number;
  readonly #leaseMs: number;
  readonly #replicateMs: number;

  // Durable: the newest epoch this replica knows, and its log.
  #epoch = 0;
  #log: LogEntry[] = [];

  // Volatile.
  #leader: NodeId | undefined;
  #commitIndex = 0;
  #appliedIndex = 0;
  readonly #state = new Map<string, VersionedValue>();
  /** Per client, the highest request number applied: the at-most-once filter. */
  readonly #appliedSequence = new Map<NodeId, number>();
  /** Leader only: whether it leads the current epoch, and where that epoch's noop sits. */
  #leading = false;
  #epochStartIndex = 0;
  #leaseUntilMs = -Infinity;
  readonly #nextIndex = new Map<NodeId, number>();
  readonly #matchIndex = new Map<NodeId, number>();
  /** Reads waiting for this leader to be allowed to serve: answered as soon as it may. */
  #waitingReads: Array<{ client: NodeId; sequence: number; key: string }> = [];

  constructor(context: NodeContext<SingleLeaderMessage>, options: ReplicaOptions) {
    this.#context = context;
    this.#mode = options.mode;
    this.#configService = options.configService;
    this.#followers = options.replicas.filter((id) => id !== context.id);
    this.#heartbeatMs = options.heartbeatMs ?? 50;
    this.#leaseMs = options.leaseMs ?? 300;
    this.#replicateMs = options.replicateMs ?? 25;
  }

  /** The newest epoch this replica knows. */
  get epoch(): number {
    return this.#epoch;
  }

  /** Who this replica believes leads its epoch; undefined until it hears. */
  get leader(): NodeId | undefined {
    return this.#leader;
  }

  /** The replicated log, oldest first; entry i (1-based) is `log[i - 1]`. */
  get log(): readonly LogEntry[] {
    return this.#log;
  }

  /** How many entries of the log this replica knows are committed. */
  get commitIndex(): number {
    return this.#commitIndex;
  }

  /** Whether this replica acknowledges writes and answers reads right now. */
  get serving(): boolean {
    return (
      this.#leading &&
      this.#context.monotonicNow() < this.#leaseUntilMs &&
      this.#commitIndex >= this.#epochStartIndex
    );
  }

  /** The applied value of `key` and the log index that wrote it; undefined if none. */
  read(key: string): VersionedValue | undefined {
    const found = this.#state.get(key);
    return found === undefined ? undefined : { ...found };
  }

  onStart(): void {
    this.#epoch = this.#context.storage.get<number>("epoch") ?? 0;
    this.#log = this.#context.storage.get<LogEntry[]>("log") ?? [];
    this.#heartbeat();
  }

  onTimer(name: string): void {
    if (name === "heartbeat") this.#heartbeat();
    if (name === "replicate" && this.#leading) {
      for (const follower of this.#followers) this.#sendAppend(follower);
      this.#context.setTimer("replicate", this.#replicateMs);
      this.#serveWaitingReads();
    }
  }

  onMessage(from: NodeId, message: SingleLeaderMessage): void {
    switch (message.type) {
      case "epoch":
        if (from === this.#configService) this.#onEpoch(message);
        return;
      case "append":
        this.#onAppend(from, message);
        return;
      case "append-reply":
        this.#onAppendReply(from, message);
        return;
      case "write":
      case "read":
        this.#onClient(from, message);
        return;
      default:
        return; // Heartbeats and replies are not for replicas.
    }
  }

  #heartbeat(): void {
    this.#context.send(this.#configService, {
      type: "heartbeat",
      epoch: this.#epoch,
      lastEpoch: this.#log.at(-1)?.epoch ?? 0,
      logLength: this.#log.length,
      sentAtMs: this.#context.monotonicNow(),
    });
    this.#context.setTimer("heartbeat", this.#heartbeatMs);
  }

  #onEpoch(message: ConfigMessage & { type: "epoch" }): void {
    if (message.epoch < this.#epoch) return; // A late answer from before a failover.
    if (message.epoch > this.#epoch) this.#adoptEpoch(message.epoch, message.leader);
    this.#leader = message.leader;
    if (message.leader !== this.#context.id) return;
    if (!this.#leading) this.#becomeLeader();
    // The lease counts from when the heartbeat was sent, not when its answer arrived: the
    // service started counting no earlier than that.
    if (message.echoMs !== undefined)
      this.#leaseUntilMs = Math.max(
        this.#leaseUntilMs,
        message.echoMs + this.#leaseMs * leaseSafety,
      );
  }

  /** Moves to a newer epoch, stepping down if this replica led an older one. */
  #adoptEpoch(epoch: number, leader: NodeId | undefined): void {
    this.#epoch = epoch;
    this.#context.storage.set("epoch", epoch);
    this.#leader = leader;
    if (this.#leading) this.#context.note(`epoch ${epoch} is newer: stepping down`);
    this.#leading = false;
    this.#leaseUntilMs = -Infinity;
    this.#waitingReads = [];
    this.#context.cancelTimer("replicate");
  }

  #becomeLeader(): void {
    this.#leading = true;
    // A new leader's first entry is a noop of its own epoch: once that is committed, every
    // entry before it is too, and the leader's state holds every acknowledged write.
    this.#append({ epoch: this.#epoch, kind: "noop" });
    this.#epochStartIndex = this.#log.length;
    for (const follower of this.#followers) {
      this.#nextIndex.set(follower, this.#log.length);
      this.#matchIndex.set(follower, 0);
    }
    this.#context.note(`leading epoch ${this.#epoch}`);
    this.#advanceCommit();
    this.#context.setTimer("replicate", 0);
  }

  #append(entry: LogEntry): void {
    this.#log.push(entry);
    this.#context.storage.set("log", this.#log);
  }

  #onClient(from: NodeId, message: ClientMessage): void {
    if (message.type === "reply") return;
    if (!this.#leading) {
      this.#context.send(from, {
        type: "reply",
        sequence: message.sequence,
        status: "not-leader",
        ...(this.#leader === undefined ? {} : { leaderHint: this.#leader }),
      });
      return;
    }
    if (message.type === "read") {
      this.#waitingReads.push({ client: from, sequence: message.sequence, key: message.key });
      this.#serveWaitingReads();
      return;
    }
    // A retry of a request already applied is answered, not applied again; one already in the
    // log waits for the same entry to commit.
    if ((this.#appliedSequence.get(from) ?? 0) >= message.sequence) {
      if (this.serving)
        this.#context.send(from, { type: "reply", sequence: message.sequence, status: "ok" });
      return;
    }
    const pending = this.#log.some(
      (entry, index) =>
        index >= this.#commitIndex &&
        entry.kind === "write" &&
        entry.client === from &&
        entry.sequence === message.sequence,
    );
    if (!pending) {
      this.#append({
        epoch: this.#epoch,
        kind: "write",
        client: from,
        sequence: message.sequence,
        operation: message.operation,
      });
      for (const follower of this.#followers) this.#sendAppend(follower);
    }
    this.#advanceCommit();
  }

  #serveWaitingReads(): void {
    if (!this.serving) return;
    for (const { client, sequence, key } of this.#waitingReads) {
      const found = this.#state.get(key);
      this.#context.send(client, {
        type: "reply",
        sequence,
        status: "ok",
        value: found?.value ?? "",
        version: found?.version ?? 0,
      });
    }
    this.#waitingReads = [];
  }

  #sendAppend(follower: NodeId): void {
    const nextIndex = this.#nextIndex.get(follower) ?? this.#log.length + 1;
    const prevIndex = nextIndex - 1;
    this.#context.send(follower, {
      type: "append",
      epoch: this.#epoch,
      prevIndex,
      prevEpoch: prevIndex === 0 ? 0 : this.#log[prevIndex - 1]!.epoch,
      entries: this.#log.slice(prevIndex, prevIndex + batchMax),
      commitIndex: this.#commitIndex,
    });
  }

  #onAppend(from: NodeId, message: ReplicaMessage & { type: "append" }): void {
    if (message.epoch < this.#epoch) {
      // Fencing: a leader from an older epoch has been replaced; say so, change nothing.
      this.#context.send(from, {
        type: "append-reply",
        epoch: this.#epoch,
        ok: false,
        matchIndex: this.#log.length,
      });
      return;
    }
    if (message.epoch > this.#epoch || this.#leader !== from) {
      // Only the configuration service names leaders, so an append from a newer epoch comes
      // from that epoch's leader.
      if (message.epoch > this.#epoch) this.#adoptEpoch(message.epoch, from);
      this.#leader = from;
    }
    const { prevIndex, prevEpoch, entries } = message;
    if (
      prevIndex > this.#log.length ||
      (prevIndex > 0 && this.#log[prevIndex - 1]!.epoch !== prevEpoch)
    ) {
      // A gap, or a different history at prevIndex: that entry and everything after it were
      // never committed (the leader would have them), so they go.
      if (prevIndex <= this.#log.length) this.#truncate(prevIndex - 1);
      this.#context.send(from, {
        type: "append-reply",
        epoch: this.#epoch,
        ok: false,
        matchIndex: this.#log.length,
      });
      return;
    }
    let changed = false;
    entries.forEach((entry, offset) => {
      const index = prevIndex + offset + 1;
      const existing = this.#log[index - 1];
      if (existing !== undefined && existing.epoch === entry.epoch) return; // Already have it.
      if (existing !== undefined) this.#truncate(index - 1);
      this.#log.push(entry);
      changed = true;
    });
    if (changed) this.#context.storage.set("log", this.#log);
    const matchIndex = prevIndex + entries.length;
    // A late append carries an older commit index: the commit index only moves forward.
    this.#commitIndex = Math.max(this.#commitIndex, Math.min(message.commitIndex, matchIndex));
    this.#apply();
    this.#context.send(from, { type: "append-reply", epoch: this.#epoch, ok: true, matchIndex });
  }

  #truncate(length: number): void {
    this.#log = this.#log.slice(0, length);
    this.#context.storage.set("log", this.#log);
    if (this.#appliedIndex > length) {
      // Only asynchronous replication can take back an applied entry: rebuild from the log.
      this.#context.note(`applied entries beyond ${length} were not on the new leader: rebuilding`);
      this.#state.clear();
      this.#appliedSequence.clear();
      this.#appliedIndex = 0;
    }
    this.#commitIndex = Math.min(this.#commitIndex, length);
  }

  #onAppendReply(from: NodeId, message: ReplicaMessage & { type: "append-reply" }): void {
    if (message.epoch > this.#epoch) {
      this.#adoptEpoch(message.epoch, undefined);
      return;
    }
    if (!this.#leading || message.epoch < this.#epoch) return; // For an epoch that is over.
    if (message.ok) {
      this.#matchIndex.set(from, Math.max(this.#matchIndex.get(from) ?? 0, message.matchIndex));
      this.#nextIndex.set(from, (this.#matchIndex.get(from) ?? 0) + 1);
      this.#advanceCommit();
      return;
    }
    const nextIndex = this.#nextIndex.get(from) ?? this.#log.length + 1;
    this.#nextIndex.set(from, Math.max(1, Math.min(nextIndex - 1, message.matchIndex + 1)));
    this.#sendAppend(from);
  }

  /** How many followers must hold an entry before it is committed, by mode. */
  #acksRequired(): number {
    if (this.#mode === "synchronous") return this.#followers.length;
    if (this.#mode === "semi-synchronous") return Math.min(1, this.#followers.length);
    return 0;
  }

  #advanceCommit(): void {
    if (!this.#leading) return;
    const acks = this.#acksRequired();
    const matched = this.#followers
      .map((id) => this.#matchIndex.get(id) ?? 0)
      .sort((a, b) => b - a);
    const candidate =
      acks === 0 ? this.#log.length : Math.min(matched[acks - 1]!, this.#log.length);
    // Only an entry of this epoch is committed by counting: an older entry that enough followers
    // hold may still be replaced, and is committed when this epoch's noop after it is.
    if (candidate > this.#commitIndex && this.#log[candidate - 1]!.epoch === this.#epoch) {
      this.#commitIndex = candidate;
      this.#apply();
      this.#serveWaitingReads();
    }
  }

  #apply(): void {
    while (this.#appliedIndex < this.#commitIndex) {
      this.#appliedIndex++;
      const entry = this.#log[this.#appliedIndex - 1]!;
      if (entry.kind !== "write") continue;
      if ((this.#appliedSequence.get(entry.client) ?? 0) >= entry.sequence) continue;
      this.#appliedSequence.set(entry.client, entry.sequence);
      const { key, value } = entry.operation;
      const before = this.#state.get(key)?.value ?? "";
      this.#state.set(key, {
        value: entry.operation.kind === "put" ? value : before + value,
        version: this.#appliedIndex,
      });
      // Only a leader that may serve answers: a deposed one stays silent and the client retries.
      if (this.serving)
        this.#context.send(entry.client, { type: "reply", sequence: entry.sequence, status: "ok" });
    }
  }
}
