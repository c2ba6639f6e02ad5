import { observeSends } from "../../harness/index.js";
import {
  Simulation,
  type NodeContext,
  type NodeGroup,
  type NodeId,
  type SimulatedNode,
  type SimulationOptions,
} from "../../harness/index.js";
import { ConfigService } from "./config-service.js";
import { ClientHistory, LeaderClient } from "./leader-client.js";
import type { ReplicationMode, SingleLeaderMessage } from "./single-leader-protocol.js";
import { ReplicaNode } from "./single-leader.js";

// Test support for exercise 4.1: the clusters the tests build, what they check after every
// event, and a probe that plays leader, follower, client or configuration service by hand. You
// do not need to change anything here.

/** A write a replica acknowledged to a client, with the epoch that replica was in. */
export interface Acknowledgement {
  replica: NodeId;
  epoch: number;
  timeMs: number;
}

/**
 * Wraps a replica's context so that every "ok" it sends a client for a write is written to
 * `acks`, with the replica's epoch at that moment. Reads are answered with a version, writes
 * without; that is how the two are told apart.
 */
export function recordAcknowledgements(
  context: NodeContext<SingleLeaderMessage>,
  epochOf: () => number,
  nowMs: () => number,
  acks: Acknowledgement[],
): NodeContext<SingleLeaderMessage> {
  return observeSends(context, (_, message) => {
    if (message.type === "reply" && message.status === "ok" && message.version === undefined)
      acks.push({ replica: context.id, epoch: epochOf(), timeMs: nowMs() });
  });
}

export interface ClusterOptions {
  mode: ReplicationMode;
  replicas?: readonly NodeId[];
  clients?: readonly NodeId[];
  network?: SimulationOptions["network"];
  name: string;
  /**
   * Whether acknowledged writes must survive: then the watch checks after every event that a
   * committed entry never changes. False for asynchronous replication, which can lose them.
   * @default true
   */
  committedEntriesAreFinal?: boolean;
}

/** A configuration service, replicas and clients, with the checks every scenario runs. */
export function buildCluster(seed: number, options: ClusterOptions) {
  const replicaIds = options.replicas ?? ["n1", "n2", "n3"];
  const clientIds = options.clients ?? ["c1", "c2"];
  const simulation = new Simulation<SingleLeaderMessage>({
    seed,
    name: options.name,
    network: options.network ?? { latencyMs: { min: 1, max: 15 } },
    clocks: { offsetMsMax: 50, driftPpmMax: 100 },
  });
  const acks: Acknowledgement[] = [];
  simulation.addNodes(
    ["config"],
    (context) => new ConfigService(context, { replicas: replicaIds }),
  );
  const config = simulation.node<ConfigService>("config")!;
  const replicas: NodeGroup<ReplicaNode> = simulation.addNodes(replicaIds, (context) => {
    let node: ReplicaNode | undefined = undefined;
    const recorded = recordAcknowledgements(
      context,
      () => node?.epoch ?? 0,
      () => simulation.nowMs,
      acks,
    );
    node = new ReplicaNode(recorded, {
      mode: options.mode,
      configService: "config",
      replicas: replicaIds,
    });
    return node;
  });
  const history = new ClientHistory(() => simulation.nowMs);
  const clients = simulation.addNodes(
    clientIds,
    (context) => new LeaderClient(context, { replicas: replicaIds, history }),
  );
  watchReplicas(simulation, replicas, acks, options.committedEntriesAreFinal ?? true);
  /** The replica that serves right now, if any. */
  const servingReplica = (): NodeId | undefined =>
    replicas.liveIds().find((id) => replicas.node(id)!.serving);
  return {
    simulation,
    config,
    replicas,
    clients,
    history,
    acks,
    servingReplica,
    replicaIds,
    clientIds,
  };
}

/**
 * Checks after every event: at most one replica serves at a time; no two replicas acknowledge
 * writes for the same epoch, and none for an epoch after another acknowledged a newer one; a
 * commit index never passes the log; and, where asked, a committed entry never changes.
 */
export function watchReplicas(
  simulation: Simulation<SingleLeaderMessage>,
  replicas: NodeGroup<ReplicaNode>,
  acks: readonly Acknowledgement[],
  committedEntriesAreFinal: boolean,
): void {
  const committed: string[] = [];
  const committedBy: NodeId[] = [];
  let acksChecked = 0;
  const ackerOfEpoch = new Map<number, NodeId>();
  let newestAck: Acknowledgement | undefined;

  simulation.addInvariant("at most one replica serves at a time", () => {
    const serving = replicas.liveIds().filter((id) => replicas.node(id)!.serving);
    if (serving.length > 1)
      return `${serving.join(" and ")} both serve clients at t=${simulation.nowMs}ms (epochs ${serving.map((id) => replicas.node(id)!.epoch).join(" and ")}): a leader whose lease has run out must stop serving`;
  });

  simulation.addInvariant(
    "one replica acknowledges writes per epoch, and never for an older epoch",
    () => {
      for (; acksChecked < acks.length; acksChecked++) {
        const ack = acks[acksChecked]!;
        const earlier = ackerOfEpoch.get(ack.epoch);
        if (earlier !== undefined && earlier !== ack.replica)
          return `${earlier} and ${ack.replica} both acknowledged writes in epoch ${ack.epoch}`;
        ackerOfEpoch.set(ack.epoch, ack.replica);
        if (newestAck !== undefined && ack.epoch < newestAck.epoch)
          return `${ack.replica} acknowledged a write in epoch ${ack.epoch} at t=${ack.timeMs}ms, after ${newestAck.replica} had acknowledged writes in epoch ${newestAck.epoch} at t=${newestAck.timeMs}ms: a deposed leader kept accepting writes`;
        if (newestAck === undefined || ack.epoch > newestAck.epoch) newestAck = ack;
      }
    },
  );

  simulation.addInvariant("a commit index never passes the log", () => {
    for (const id of replicas.liveIds()) {
      const replica = replicas.node(id)!;
      if (replica.commitIndex > replica.log.length)
        return `${id} has commit index ${replica.commitIndex} but only ${replica.log.length} log entries`;
    }
  });

  if (!committedEntriesAreFinal) return;
  // Checking every committed entry of every replica after every event costs O(events × log);
  // new entries are checked as they commit, and the whole log again after a truncation and
  // every 64 steps, which still catches an entry overwritten in place.
  const checkedUpTo = new WeakMap<ReplicaNode, { index: number; length: number }>();
  simulation.addInvariant("a committed entry never changes", () => {
    const everything = simulation.steps % 64 === 0;
    for (const id of replicas.liveIds()) {
      const replica = replicas.node(id)!;
      const log = replica.log;
      const last = checkedUpTo.get(replica);
      const from =
        everything || last === undefined || log.length < last.length ? 1 : last.index + 1;
      const to = Math.min(replica.commitIndex, log.length);
      for (let index = from; index <= to; index++) {
        const entry = JSON.stringify(log[index - 1]);
        const known = committed[index - 1];
        if (known === undefined) {
          committed[index - 1] = entry;
          committedBy[index - 1] = id;
        } else if (known !== entry) {
          return `entry ${index} was committed as ${known} (seen at ${committedBy[index - 1]}), but ${id} has committed ${entry} there`;
        }
      }
      checkedUpTo.set(replica, { index: Math.max(to, from - 1), length: log.length });
    }
  });
}

/**
 * A stand-in node the tests drive by hand: it sends what a test tells it to, keeps everything
 * it receives, and can answer some messages on its own (`answer`), to play a configuration
 * service that grants leases or followers that acknowledge appends.
 */
export class ProbeNode implements SimulatedNode<SingleLeaderMessage> {
  readonly received: Array<{ from: NodeId; message: SingleLeaderMessage }> = [];
  /** Returns the reply to send, or undefined to stay silent. */
  answer:
    ((from: NodeId, message: SingleLeaderMessage) => SingleLeaderMessage | undefined) | undefined;
  readonly #context: NodeContext<SingleLeaderMessage>;

  constructor(context: NodeContext<SingleLeaderMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: SingleLeaderMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: SingleLeaderMessage): void {
    this.received.push({ from, message });
    const reply = this.answer?.(from, message);
    if (reply !== undefined) this.#context.send(from, reply);
  }
}
