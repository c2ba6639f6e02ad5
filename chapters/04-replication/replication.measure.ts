import {
  mean,
  type Measurement,
  type MeasureFunction,
  type MeasurementChart,
} from "../../harness/metrics/measurement.js";
import { MessageCounter } from "../../harness/metrics/recorders.js";
import { Random, Simulation, type NodeId } from "../../harness/index.js";
import { ConfigService } from "./config-service.js";
import { ClientHistory, LeaderClient, type ClientOperation } from "./leader-client.js";
import { QuorumClient, VersionSource, type QuorumOperation } from "./leaderless-checks.js";
import type { LeaderlessMessage } from "./leaderless-protocol.js";
import { LeaderlessNode } from "./leaderless.js";
import { MultiLeaderNode, type MultiLeaderMessage } from "./multi-leader-node.js";
import {
  acknowledgedWritesLost,
  availability,
  latencyQuantilesMs,
  messagesPerWrite,
  staleReads,
  writeLatenciesMs,
  type MeasuredRequest,
} from "./replication-metrics.js";
import type { ReplicationMode, SingleLeaderMessage } from "./single-leader-protocol.js";
import { ReplicaNode } from "./single-leader.js";

/**
 * Measurement 4.5: one workload against four strategies, built from your own 4.1, 4.3 and 4.4.
 * Run it with `npm run workbook -- measure 4.5`. It records what every client saw as
 * `MeasuredRequest`s and computes each number with your replication-metrics.ts.
 *
 * The workload, for every strategy, on three replicas with 1–15 ms links:
 * - 0 to 2 s: two clients write (and read) steadily: write latency, messages per write;
 * - 2 to 3.5 s: one replica (the leader, where there is one) is cut off from everyone, a
 *   minority partition; the clients stay with the majority: availability is the fraction of
 *   writes they start in that window that are acknowledged within 500 ms;
 * - at 4 s the leader (or one replica) crashes for good: acknowledged writes lost are those the
 *   survivors do not have once the network is quiet;
 * - all along, a read is stale when it misses a write acknowledged before the read began.
 */

/** What one strategy scored on one seed. */
export interface StrategyRun {
  writeLatenciesMs: number[];
  availabilityDuringPartition: number;
  acknowledgedWritesLost: number;
  reads: number;
  staleReads: number;
  messagesPerWrite: number;
}

export type Strategy = "synchronous" | "asynchronous" | "leaderless" | "multi-leader";
export const strategies: readonly Strategy[] = [
  "synchronous",
  "asynchronous",
  "leaderless",
  "multi-leader",
];

const replicaIds = ["n1", "n2", "n3"];
const partitionFromMs = 2_000;
const partitionToMs = 3_500;
const crashAtMs = 4_000;
const endMs = 5_000;
const deadlineMs = 500;
/** One fresh client per write started during the partition, every 100 ms. */
const probeIds = Array.from(
  { length: (partitionToMs - partitionFromMs) / 100 },
  (_, index) => `probe${index + 1}`,
);

export function runStrategy(strategy: Strategy, seed: number): StrategyRun {
  if (strategy === "leaderless") return runLeaderless(seed);
  if (strategy === "multi-leader") return runMultiLeader(seed);
  return runSingleLeader(strategy, seed);
}

function runSingleLeader(mode: ReplicationMode, seed: number): StrategyRun {
  const simulation = new Simulation<SingleLeaderMessage>({
    seed,
    name: `measure ${mode}`,
    network: { latencyMs: { min: 1, max: 15 } },
  });
  const messages = new MessageCounter();
  simulation.addNodes(
    ["config"],
    (context) => new ConfigService(context, { replicas: replicaIds }),
  );
  const replicas = simulation.addNodes(
    replicaIds,
    (context) =>
      new ReplicaNode(messages.wrap(context), {
        mode,
        configService: "config",
        replicas: replicaIds,
      }),
  );
  const history = new ClientHistory(() => simulation.nowMs);
  const clients = simulation.addNodes(
    ["c1", "c2"],
    (context) => new LeaderClient(context, { replicas: replicaIds, history }),
  );
  // Availability is measured open-loop: a fresh client starts one write every 100 ms of the
  // partition, so a client stuck on an earlier request cannot hide the outage.
  const probeHistory = new ClientHistory(() => simulation.nowMs);
  const probes = simulation.addNodes(
    probeIds,
    (context) => new LeaderClient(context, { replicas: replicaIds, history: probeHistory }),
  );
  const serving = () => replicas.liveIds().find((id) => replicas.node(id)!.serving);
  simulation.runUntil(() => serving() !== undefined, { withinMs: 2_000 });
  const startMs = simulation.nowMs;
  for (const id of clients.ids)
    simulation.act<LeaderClient>(id, "start", (client) =>
      client.startWorkload({ keys: ["x", "y"], readFraction: 0.3 }),
    );
  let isolated: NodeId | undefined;
  simulation.at(startMs + partitionFromMs, "minority partition", () => {
    isolated = serving() ?? "n1";
    simulation.isolate(isolated);
  });
  probes.ids.forEach((id, index) =>
    simulation.at(startMs + partitionFromMs + index * 100, `${id} writes`, () =>
      simulation.act<LeaderClient>(id, "probe write", (client) =>
        client.submit({ kind: "append", key: "probe", value: `${id} ` }),
      ),
    ),
  );
  simulation.at(startMs + partitionToMs, "heal", () => simulation.heal());
  simulation.at(startMs + crashAtMs, "crash the leader for good", () => {
    const leader = serving();
    if (leader !== undefined) simulation.crash(leader);
  });
  simulation.runFor(endMs);
  for (const id of clients.ids)
    simulation.act<LeaderClient>(id, "stop", (client) => client.stopWorkload());
  simulation.runFor(1_000);
  // Times from the start of the workload, as the partition and the crash are scheduled.
  const toRequest = (
    operation: ClientOperation,
  ): MeasuredRequest & { operation: ClientOperation } => ({
    kind: operation.input.kind === "get" ? "read" : "write",
    key: operation.input.key,
    requestMs: operation.callMs - startMs,
    lastSentMs: (operation.lastSentMs ?? operation.callMs) - startMs,
    answeredMs: operation.returnMs === Infinity ? undefined : operation.returnMs - startMs,
    // A leader client hears only successes: a redirect is not an answer, it resends.
    ok: operation.returnMs !== Infinity,
    operation,
  });
  const requests = history.operations.map(toRequest);
  // Lost: not in the log of the survivor a failover would pick (the most up to date). Counting
  // from logs, not applied state, keeps "lost" apart from "not available": a synchronous
  // leader waiting for a dead follower has every write, it just cannot commit more.
  const survivor =
    replicas
      .liveIds()
      .map((id) => replicas.node(id)!.log)
      .sort((a, b) => (b.at(-1)?.epoch ?? 0) - (a.at(-1)?.epoch ?? 0) || b.length - a.length)[0] ??
    [];
  const kept = new Set(
    survivor.flatMap((entry) =>
      entry.kind === "write" ? [`${entry.client}:${entry.sequence}`] : [],
    ),
  );
  const sequenceOf = new Map<object, number>();
  for (const id of clients.ids) {
    let sequence = 0;
    for (const operation of history.operations)
      if (operation.client === id) sequenceOf.set(operation, ++sequence);
  }
  return {
    writeLatenciesMs: writeLatenciesMs(requests, 0, partitionFromMs),
    availabilityDuringPartition: availability(
      probeHistory.operations.map(toRequest),
      partitionFromMs,
      partitionToMs,
      deadlineMs,
    ),
    acknowledgedWritesLost: acknowledgedWritesLost(requests, ({ operation }) =>
      kept.has(`${operation.client}:${sequenceOf.get(operation)}`),
    ),
    reads: requests.filter((request) => request.kind === "read" && request.ok).length,
    // Values are appended, so a read has seen a write when the value it returned contains it.
    staleReads: staleReads(requests, (read, write) =>
      (read.operation.output?.value ?? "").includes(
        (write.operation.input as { value: string }).value,
      ),
    ),
    messagesPerWrite: messagesPerWrite(messages.total, requests),
  };
}

function runLeaderless(seed: number): StrategyRun {
  const simulation = new Simulation<LeaderlessMessage>({
    seed,
    name: "measure leaderless",
    network: { latencyMs: { min: 1, max: 15 } },
  });
  const messages = new MessageCounter();
  const nodes = simulation.addNodes(
    replicaIds,
    (context) =>
      new LeaderlessNode(messages.wrap(context), {
        nodes: replicaIds,
        n: 3,
        r: 2,
        w: 2,
        sloppy: false,
        antiEntropyMs: 200,
      }),
  );
  const operations: QuorumOperation[] = [];
  const versions = new VersionSource();
  const clients = simulation.addNodes(
    ["c1", "c2"],
    (context) => new QuorumClient(context, { nowMs: () => simulation.nowMs, versions, operations }),
  );
  const random = new Random(seed, "workload");
  let minority: NodeId | undefined;
  for (let timeMs = 1; timeMs < endMs; timeMs += 5) {
    simulation.at(timeMs, "clients act", () => {
      for (const id of clients.ids) {
        const client = clients.node(id)!;
        if (client.busy) continue;
        // Clients stay with the majority: they use the coordinators they can reach.
        const reachable = replicaIds.filter((node) => node !== minority && simulation.isUp(node));
        const coordinator = reachable[random.int(0, reachable.length - 1)]!;
        const key = random.chance(0.5) ? "x" : "y";
        simulation.act<QuorumClient>(id, "request", (c) =>
          random.chance(0.3) ? c.get(coordinator, key) : c.put(coordinator, key, `${id}@${timeMs}`),
        );
      }
    });
  }
  simulation.at(partitionFromMs, "minority partition", () => {
    minority = "n3";
    simulation.isolate("n3");
  });
  simulation.at(partitionToMs, "heal", () => {
    minority = undefined;
    simulation.heal();
  });
  simulation.at(crashAtMs, "crash n1 for good", () => simulation.crash("n1"));
  simulation.runFor(endMs + 1_000);
  const requests = operations.map((operation) => ({
    kind: operation.kind === "get" ? ("read" as const) : ("write" as const),
    key: operation.key,
    requestMs: operation.callMs,
    lastSentMs: operation.callMs,
    answeredMs: operation.returnMs === Infinity ? undefined : operation.returnMs,
    ok: operation.ok === true,
    operation,
  }));
  const survivors = ["n2", "n3"];
  const newest = (key: string) =>
    Math.max(0, ...survivors.map((id) => nodes.node(id)!.record(key)?.version ?? 0));
  return {
    writeLatenciesMs: writeLatenciesMs(requests, 0, partitionFromMs),
    availabilityDuringPartition: availability(requests, partitionFromMs, partitionToMs, deadlineMs),
    acknowledgedWritesLost: acknowledgedWritesLost(
      requests,
      ({ operation }) => newest(operation.key) >= operation.version!,
    ),
    reads: requests.filter((request) => request.kind === "read" && request.ok).length,
    // Versions grow in true time, so a read has seen a write when it returned that version or newer.
    staleReads: staleReads(
      requests,
      (read, write) => (read.operation.version ?? 0) >= write.operation.version!,
    ),
    messagesPerWrite: messagesPerWrite(messages.total, requests),
  };
}

function runMultiLeader(seed: number): StrategyRun {
  const simulation = new Simulation<MultiLeaderMessage>({
    seed,
    name: "measure multi-leader",
    network: { latencyMs: { min: 1, max: 15 } },
  });
  const messages = new MessageCounter();
  const nodes = simulation.addNodes(
    replicaIds,
    (context) => new MultiLeaderNode(messages.wrap(context)),
  );
  const random = new Random(seed, "workload");
  // A write is the n-th increment acknowledged; a read saw it when the counter reached n.
  const requests: Array<MeasuredRequest & { count: number }> = [];
  let acknowledged = 0;
  let minority: NodeId | undefined;
  // Each client sits next to a leader and writes there: acknowledged by that leader alone, at
  // once. A write is an increment of a shared counter; a read is stale if it misses one.
  for (let timeMs = 1; timeMs < endMs; timeMs += 8) {
    simulation.at(timeMs, "clients act", () => {
      for (let client = 0; client < 2; client++) {
        const reachable = replicaIds.filter((node) => node !== minority && simulation.isUp(node));
        const leader = reachable[random.int(0, reachable.length - 1)]!;
        const at = { key: "counter", requestMs: timeMs, lastSentMs: timeMs, answeredMs: timeMs };
        if (random.chance(0.3)) {
          const count = nodes.node(leader)!.counter.value;
          requests.push({ ...at, kind: "read", ok: true, count });
          continue;
        }
        simulation.act<MultiLeaderNode>(leader, "increment", (node) =>
          node.update((self, id) => self.counter.increment(id)),
        );
        requests.push({ ...at, kind: "write", ok: true, count: ++acknowledged });
      }
    });
  }
  simulation.at(partitionFromMs, "minority partition", () => {
    minority = "n3";
    simulation.isolate("n3");
  });
  simulation.at(partitionToMs, "heal", () => {
    minority = undefined;
    simulation.heal();
  });
  simulation.at(crashAtMs, "crash n1 for good", () => simulation.crash("n1"));
  simulation.runFor(endMs + 1_000);
  const survivorValue = Math.max(...["n2", "n3"].map((id) => nodes.node(id)!.counter.value));
  return {
    writeLatenciesMs: writeLatenciesMs(requests, 0, partitionFromMs),
    availabilityDuringPartition: availability(requests, partitionFromMs, partitionToMs, deadlineMs),
    acknowledgedWritesLost: acknowledgedWritesLost(
      requests,
      (write) => survivorValue >= write.count,
    ),
    reads: requests.filter((request) => request.kind === "read").length,
    staleReads: staleReads(requests, (read, write) => read.count >= write.count),
    messagesPerWrite: messagesPerWrite(messages.total, requests),
  };
}

/** Every strategy over `seeds` seeds, pooled. */
export function measureStrategies(seeds: number): Record<Strategy, StrategyRun> {
  const pooled = {} as Record<Strategy, StrategyRun>;
  for (const strategy of strategies)
    pooled[strategy] = poolRuns(
      Array.from({ length: seeds }, (_, index) => runStrategy(strategy, index + 1)),
    );
  return pooled;
}

/** One strategy's runs over several seeds as one: latencies and counts pooled, rates averaged. */
export function poolRuns(runs: readonly StrategyRun[]): StrategyRun {
  return {
    writeLatenciesMs: runs.flatMap((run) => run.writeLatenciesMs),
    availabilityDuringPartition: mean(runs.map((run) => run.availabilityDuringPartition)),
    acknowledgedWritesLost: runs.reduce((sum, run) => sum + run.acknowledgedWritesLost, 0),
    reads: runs.reduce((sum, run) => sum + run.reads, 0),
    staleReads: runs.reduce((sum, run) => sum + run.staleReads, 0),
    messagesPerWrite: mean(runs.map((run) => run.messagesPerWrite)),
  };
}

const measure: MeasureFunction = (options) => {
  const seeds = options.seeds ?? 3;
  return presentMeasurement(measureStrategies(seeds), seeds);
};

/** The table and charts for results pooled over `seeds` seeds. */
export function presentMeasurement(
  results: Record<Strategy, StrategyRun>,
  seeds: number,
): Measurement {
  const round = (value: number, digits = 1) => Number(value.toFixed(digits));
  const rows = strategies.map((strategy) => {
    const run = results[strategy];
    return [
      strategy,
      latencyQuantilesMs(run.writeLatenciesMs).p50Ms,
      latencyQuantilesMs(run.writeLatenciesMs).p99Ms,
      `${round(run.availabilityDuringPartition * 100)}%`,
      run.acknowledgedWritesLost,
      `${run.staleReads} of ${run.reads}`,
      round(run.messagesPerWrite),
    ];
  });
  const bar = (
    name: string,
    title: string,
    yLabel: string,
    series: MeasurementChart["series"],
  ): MeasurementChart => ({
    name,
    title,
    kind: "bar",
    xLabel: "strategy",
    yLabel,
    categories: [...strategies],
    series,
  });
  const points = (value: (run: StrategyRun) => number) =>
    strategies.map((strategy, index) => ({ x: index, y: value(results[strategy]) }));
  return {
    summary:
      `One workload on three replicas, ${seeds} seed${seeds === 1 ? "" : "s"} per strategy: 2 s of steady writes, a 1.5 s minority partition ` +
      `(the leader, or one replica, cut off), then a crash for good. Latency in ms of simulated time; availability counts writes acknowledged within ${deadlineMs} ms; ` +
      `multi-leader writes are acknowledged by the client's local leader at once.`,
    tables: [
      {
        title: "Four strategies, one workload",
        columns: [
          "strategy",
          "p50 write ms",
          "p99 write ms",
          "available in partition",
          "acknowledged writes lost",
          "stale reads",
          "messages per write",
        ],
        rows,
      },
    ],
    charts: [
      bar("write-latency", "Write latency", "ms", [
        { name: "p50", points: points((run) => latencyQuantilesMs(run.writeLatenciesMs).p50Ms) },
        { name: "p99", points: points((run) => latencyQuantilesMs(run.writeLatenciesMs).p99Ms) },
      ]),
      bar("availability", "Writes acknowledged within 500 ms during a minority partition", "%", [
        {
          name: "available",
          points: points((run) => round(run.availabilityDuringPartition * 100)),
        },
      ]),
      bar("writes-lost", "Acknowledged writes lost when a node crashes for good", "writes", [
        { name: "lost", points: points((run) => run.acknowledgedWritesLost) },
      ]),
    ],
  };
}

export default measure;
