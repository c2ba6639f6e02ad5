import { observeSends } from "../../harness/index.js";
import {
  totalMessageCounts,
  type NodeContext,
  type NodeGroup,
  type NodeId,
  type Random,
  type SimulatedNode,
  type Simulation,
} from "../../harness/index.js";
import { quantile } from "../../harness/metrics/measurement.js";
import type { BroadcastMessage, BroadcastNode } from "./epidemic-broadcast.js";

// Test support for exercise 5.1: a client workload, what the tests check about it, and a probe
// that plays a peer by hand. You do not need to change anything here.

export interface WorkloadOptions {
  /** How many client operations, broadcasts and reads together. */
  operations: number;
  /** Operations per second of simulated time, spread evenly (Maelstrom's `--rate`). */
  rateOpsPerSecond: number;
  /** The share of operations that are reads; Maelstrom's broadcast workload is about half. @default 0.5 */
  readShare?: number;
  /** How often the test looks at every node's values to time each value's spread, in ms. @default 10 */
  pollMs?: number;
}

/** What a workload did and saw, read when it is over. */
export interface WorkloadReport {
  /** Every value a client broadcast, with when (true time, ms) and at which node. */
  broadcasts: Array<{ value: number; atMs: number; node: NodeId }>;
  reads: number;
  /**
   * For each value, how long after its broadcast every live node had it, in ms; undefined for
   * a value not yet everywhere.
   */
  latencyMs: Map<number, number | undefined>;
  /** The first broken rule seen in any node's `read()`: an invented or repeated value. */
  problems: string[];
}

/** The values that have not reached every live node yet, and where they are missing. */
export function missingValues(
  nodes: NodeGroup<BroadcastNode>,
  values: readonly number[],
): Array<{ node: NodeId; missing: number[] }> {
  const gaps: Array<{ node: NodeId; missing: number[] }> = [];
  for (const id of nodes.liveIds()) {
    const seen = new Set(nodes.node(id)!.read());
    const missing = values.filter((value) => !seen.has(value));
    if (missing.length > 0) gaps.push({ node: id, missing });
  }
  return gaps;
}

/** Says which values are missing where, in a sentence, or "" when every live node has them all. */
export function describeGaps(nodes: NodeGroup<BroadcastNode>, values: readonly number[]): string {
  const gaps = missingValues(nodes, values);
  if (gaps.length === 0) return "";
  const shown = gaps
    .slice(0, 5)
    .map(
      ({ node, missing }) =>
        `${node} lacks ${missing.length} (${missing.slice(0, 6).join(", ")}${missing.length > 6 ? ", …" : ""})`,
    );
  return `${gaps.length} of ${nodes.liveIds().length} live nodes are missing values: ${shown.join("; ")}`;
}

/**
 * Schedules a client workload from now on: `operations` broadcasts and reads at evenly spaced
 * times, each at a random node that is up and not paused. Values are 1, 2, 3… in broadcast
 * order. While the simulation runs, every `pollMs` the test reads every live node to time each
 * value's spread and to check that no node shows a value nobody broadcast, or one value twice.
 */
export function scheduleWorkload(
  simulation: Simulation<BroadcastMessage>,
  nodes: NodeGroup<BroadcastNode>,
  random: Random,
  options: WorkloadOptions,
): WorkloadReport {
  const { operations, rateOpsPerSecond, readShare = 0.5, pollMs = 10 } = options;
  const report: WorkloadReport = { broadcasts: [], reads: 0, latencyMs: new Map(), problems: [] };
  const broadcastValues = new Set<number>();
  const pending = new Set<number>();
  const startMs = simulation.nowMs;
  const gapMs = 1000 / rateOpsPerSecond;
  const available = (): NodeId[] => nodes.liveIds().filter((id) => !simulation.isPaused(id));

  for (let operation = 0; operation < operations; operation++) {
    const isRead = random.chance(readShare);
    simulation.at(startMs + operation * gapMs, isRead ? "client read" : "client broadcast", () => {
      const candidates = available();
      if (candidates.length === 0) return;
      const node = random.pick(candidates);
      if (isRead) {
        report.reads++;
        simulation.act<BroadcastNode>(node, "read", (instance) => {
          check(node, instance.read());
        });
        return;
      }
      const value = report.broadcasts.length + 1;
      report.broadcasts.push({ value, atMs: simulation.nowMs, node });
      broadcastValues.add(value);
      pending.add(value);
      report.latencyMs.set(value, undefined);
      simulation.act<BroadcastNode>(node, `broadcast ${value}`, (instance) =>
        instance.broadcast(value),
      );
    });
  }

  const check = (node: NodeId, values: readonly number[]): Set<number> => {
    const seen = new Set(values);
    if (report.problems.length === 0) {
      if (seen.size !== values.length)
        report.problems.push(
          `${node}.read() returned a value twice at ${simulation.nowMs} ms: [${values.join(", ")}]; each value must appear once`,
        );
      const invented = values.filter((value) => !broadcastValues.has(value));
      if (invented.length > 0)
        report.problems.push(
          `${node}.read() returned ${invented.join(", ")} at ${simulation.nowMs} ms, which no client broadcast`,
        );
    }
    return seen;
  };

  const poll = (): void => {
    const seenBy = nodes.liveIds().map((id) => check(id, nodes.node(id)!.read()));
    for (const value of pending) {
      if (seenBy.every((seen) => seen.has(value))) {
        const sent = report.broadcasts[value - 1]!;
        report.latencyMs.set(value, simulation.nowMs - sent.atMs);
        pending.delete(value);
      }
    }
    // Once every operation has run and every value is everywhere, there is nothing to time.
    const done = simulation.nowMs > startMs + operations * gapMs && pending.size === 0;
    if (!done) simulation.after(pollMs, "test polls every node", poll);
  };
  simulation.after(0, "test polls every node", poll);
  return report;
}

/** Maelstrom's figures for a finished workload. */
export interface BroadcastFigures {
  /** Messages between nodes, over every client operation, reads included (Maelstrom's figure). */
  messagesPerOperation: number;
  /** Messages between nodes over broadcasts only: the honest figure. */
  messagesPerBroadcast: number;
  latencyMsMedian: number;
  latencyMsMax: number;
}

export function figuresOf(
  simulation: Simulation<BroadcastMessage>,
  report: WorkloadReport,
  sentBefore = 0,
): BroadcastFigures {
  const sent = totalMessageCounts(simulation.messageCounts()).sent - sentBefore;
  const latencies = [...report.latencyMs.values()].map((latency) => latency ?? Infinity);
  return {
    messagesPerOperation: sent / (report.broadcasts.length + report.reads),
    messagesPerBroadcast: sent / report.broadcasts.length,
    latencyMsMedian: quantile(latencies, 0.5),
    latencyMsMax: quantile(latencies, 1),
  };
}

/**
 * A stand-in peer the tests drive by hand: it sends exactly the messages a test tells it to and
 * keeps every message it receives.
 */
export class BroadcastProbe implements SimulatedNode<BroadcastMessage> {
  readonly received: Array<{ from: NodeId; message: BroadcastMessage; atMs: number }> = [];
  readonly #context: NodeContext<BroadcastMessage>;
  #nowMs: () => number;

  constructor(context: NodeContext<BroadcastMessage>, nowMs: () => number) {
    this.#context = context;
    this.#nowMs = nowMs;
  }

  send(to: NodeId, message: BroadcastMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: BroadcastMessage): void {
    this.received.push({ from, message, atMs: this.#nowMs() });
  }
}

/** One message a node sent, as `recordSends` saw it. */
export interface SentMessage {
  from: NodeId;
  to: NodeId;
  type: BroadcastMessage["type"];
  atMs: number;
}

/**
 * Wraps a node's context so that every message it sends is also written to `sent`, with the
 * destination the node chose. The node sees the same context otherwise.
 */
export function recordSends(
  context: NodeContext<BroadcastMessage>,
  sent: SentMessage[],
  nowMs: () => number,
): NodeContext<BroadcastMessage> {
  const record = (to: NodeId, message: BroadcastMessage): void => {
    sent.push({ from: context.id, to, type: message.type, atMs: nowMs() });
  };
  return observeSends(context, record);
}
