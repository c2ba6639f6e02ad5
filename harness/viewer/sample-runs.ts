import { Simulation } from "../simulation/simulation.js";
import type { TraceDocument } from "../simulation/trace.js";
import type { NodeContext, NodeId, SimulatedNode } from "../simulation/types.js";

/**
 * Runs with every kind of thing the viewer draws, made by the real simulator: the viewer's
 * tests, its bench and the README's screenshot all look at these.
 */

type Ping = { type: "ping"; round: number } | { type: "pong"; round: number };

/** Each node pings a peer every 40 ms and answers pings; a note says when a pong comes back. */
class PingNode implements SimulatedNode<Ping> {
  readonly #context: NodeContext<Ping>;
  #round = 0;

  constructor(context: NodeContext<Ping>) {
    this.#context = context;
  }

  /** How many pings this node has sent: the state the viewer shows for it. */
  get pingsSent(): number {
    return this.#round;
  }

  onStart(): void {
    this.#context.setTimer("ping", this.#context.randomInt(1, 40));
  }

  onTimer(): void {
    this.#round++;
    const peers = this.#context.peers;
    const peer = peers[this.#context.randomInt(0, peers.length - 1)]!;
    this.#context.send(peer, { type: "ping", round: this.#round });
    this.#context.setTimer("ping", 40);
  }

  onMessage(from: NodeId, message: Ping): void {
    if (message.type === "ping") this.#context.send(from, { type: "pong", round: message.round });
    else this.#context.note(`pong ${message.round} from ${from}`);
  }
}

export interface SampleRun {
  document: TraceDocument;
  /** When the partition between {n1, n2} and {n3, n4} began and was healed. */
  partition: { fromMs: number; toMs: number };
  /** When the one-way cut n1 → n3 began (it lasts to the end of the run). */
  cutFromMs: number;
  /** The first error of the test, for a failing run. */
  failure?: string;
}

/**
 * Four nodes for 800 ms with loss and duplication, a partition from 200 to 400 ms, n3 crashed
 * from 500 to 600 ms, a clock jump on n4 and, from 700 ms, n3 no longer hearing n1. With `failing`, an invariant that a test might
 * have written ("fewer than 30 pongs") breaks partway through, as a learner's bug would.
 */
export function sampleRun(options: { failing?: boolean; seed?: number } = {}): SampleRun {
  const simulation = new Simulation<Ping>({
    seed: options.seed ?? 7,
    traceKeep: "all",
    name: "ping under faults",
    recordNodeState: true,
    network: { latencyMs: { min: 5, max: 30 }, lossRate: 0.05, duplicateRate: 0.08 },
  });
  simulation.addNodes(["n1", "n2", "n3", "n4"], (context) => new PingNode(context));
  simulation.at(200, "partition", () => simulation.partition(["n1", "n2"], ["n3", "n4"]));
  simulation.at(400, "heal", () => simulation.heal());
  simulation.at(500, "crash n3", () => simulation.crash("n3"));
  simulation.at(600, "restart n3", () => simulation.restart("n3"));
  simulation.at(650, "jump n4", () => simulation.jumpClock("n4", -200));
  simulation.at(700, "cut n1 → n3", () => simulation.cut("n1", "n3"));
  let failure: string | undefined;
  if (options.failing === true) {
    let pongs = 0;
    simulation.addInvariant("fewer than 30 pongs are delivered", () => {
      pongs = simulation
        .trace()
        .filter((event) => event.kind === "deliver" && event.message?.includes('"pong"')).length;
      return pongs >= 30 ? `${pongs} pongs were delivered` : undefined;
    });
  }
  try {
    simulation.runFor(800);
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
  }
  return {
    document: simulation.traceDocument(),
    partition: { fromMs: 200, toMs: 400 },
    cutFromMs: 700,
    ...(failure === undefined ? {} : { failure }),
  };
}

/** A long run for the bench: ten nodes pinging until the trace holds at least `events` events. */
export function largeRun(events: number): TraceDocument {
  const simulation = new Simulation<Ping>({
    seed: 1,
    traceKeep: "all",
    name: "large ping run",
    network: { latencyMs: { min: 5, max: 30 }, lossRate: 0.02, duplicateRate: 0.02 },
  });
  simulation.addNodes(
    Array.from({ length: 10 }, (_, index) => `n${index + 1}`),
    (context) => new PingNode(context),
  );
  while (simulation.trace().length < events) simulation.runFor(500);
  return simulation.traceDocument();
}
