import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import type { SingleLeaderMessage } from "./single-leader-protocol.js";

// Provided, complete: the configuration service of exercise 4.1, in the role ZooKeeper or etcd
// plays for Patroni, or the controller for Kafka. It alone decides who leads: a replica
// learns that it leads from this service, and never decides so by itself.

export interface ConfigServiceOptions {
  /** The replicas, in order; the first leads epoch 1. */
  replicas: readonly NodeId[];
  /**
   * How long a leader may serve after the heartbeat its lease answers was sent. @default 300
   */
  leaseMs?: number;
  /**
   * How long the leader must be silent before the service names another. Longer than the
   * lease, so that the old leader's lease has run out, by its own clock, before a new leader
   * exists. @default leaseMs + 150
   */
  failoverAfterMs?: number;
}

/**
 * Names the leader of each epoch. Every replica heartbeats to it; every heartbeat is answered
 * with the current epoch and leader, and the leader's answer is its lease. When the leader has
 * been silent for `failoverAfterMs`, the service starts the next epoch with the replica whose
 * log is most up to date (highest last epoch, then longest), among those heard from recently,
 * and tells every replica.
 */
export class ConfigService implements SimulatedNode<SingleLeaderMessage> {
  readonly #context: NodeContext<SingleLeaderMessage>;
  readonly #replicas: readonly NodeId[];
  readonly #failoverAfterMs: number;
  #epoch = 1;
  #leader: NodeId;
  /** When each replica was last heard from (this service's monotonic time), and its log. */
  readonly #heard = new Map<NodeId, { atMs: number; lastEpoch: number; logLength: number }>();
  #leaderHeardAtMs = 0;

  constructor(context: NodeContext<SingleLeaderMessage>, options: ConfigServiceOptions) {
    if (options.replicas.length === 0)
      throw new RangeError("The configuration service needs at least one replica");
    this.#context = context;
    this.#replicas = options.replicas;
    const leaseMs = options.leaseMs ?? 300;
    this.#failoverAfterMs = options.failoverAfterMs ?? leaseMs + 150;
    this.#leader = options.replicas[0]!;
  }

  /** The current epoch. */
  get epoch(): number {
    return this.#epoch;
  }

  /** The leader of the current epoch. */
  get leader(): NodeId {
    return this.#leader;
  }

  onStart(): void {
    // The service's own state is volatile on purpose: tests never crash it (a real one is
    // itself replicated with consensus, as chapter 2 built).
    this.#leaderHeardAtMs = this.#context.monotonicNow();
    // Announced from a timer, so that replicas added after the service exist by then.
    this.#context.setTimer("announce", 0);
    this.#context.setTimer("check", 50);
  }

  onMessage(from: NodeId, message: SingleLeaderMessage): void {
    if (message.type !== "heartbeat" || !this.#replicas.includes(from)) return;
    const nowMs = this.#context.monotonicNow();
    this.#heard.set(from, {
      atMs: nowMs,
      lastEpoch: message.lastEpoch,
      logLength: message.logLength,
    });
    if (from === this.#leader) this.#leaderHeardAtMs = nowMs;
    this.#context.send(from, {
      type: "epoch",
      epoch: this.#epoch,
      leader: this.#leader,
      echoMs: message.sentAtMs,
    });
  }

  onTimer(name: string): void {
    if (name === "announce") {
      this.#announce();
      return;
    }
    this.#context.setTimer("check", 50);
    const nowMs = this.#context.monotonicNow();
    if (nowMs - this.#leaderHeardAtMs < this.#failoverAfterMs) return;
    const candidates = this.#replicas
      .filter((id) => id !== this.#leader)
      .map((id) => ({ id, heard: this.#heard.get(id) }))
      .filter(
        (candidate) =>
          candidate.heard !== undefined && nowMs - candidate.heard.atMs < this.#failoverAfterMs / 2,
      )
      .sort(
        (a, b) =>
          b.heard!.lastEpoch - a.heard!.lastEpoch ||
          b.heard!.logLength - a.heard!.logLength ||
          (a.id < b.id ? -1 : 1),
      );
    const chosen = candidates[0];
    if (chosen === undefined) return; // Nobody to fail over to yet; keep waiting.
    this.#epoch++;
    this.#leader = chosen.id;
    this.#leaderHeardAtMs = nowMs;
    this.#context.note(
      `${this.#leader} leads epoch ${this.#epoch} (log ${chosen.heard!.logLength} entries, last from epoch ${chosen.heard!.lastEpoch})`,
    );
    this.#announce();
  }

  #announce(): void {
    for (const id of this.#replicas)
      this.#context.send(id, { type: "epoch", epoch: this.#epoch, leader: this.#leader });
  }
}
