import { createHash } from "node:crypto";
import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

/**
 * Golden traces: hashes of whole runs, recorded before the simulator was made faster. Work on
 * the simulator's speed must leave every run the same, event for event; a hash that changes
 * means a run changed. Change a hash only for a change that is meant to alter runs, and say so
 * in the commit (every exercise's seeds then mean something new).
 */

type Chatter =
  | { type: "gossip"; origin: NodeId; round: number; path: NodeId[] }
  | { type: "ack"; round: number; load: { values: number[]; nested: { flag: boolean } } };

class ChattyNode implements SimulatedNode<Chatter> {
  readonly #context: NodeContext<Chatter>;
  #round = 0;

  constructor(context: NodeContext<Chatter>) {
    this.#context = context;
  }

  onStart(): void {
    this.#round = this.#context.storage.get<number>("round") ?? 0;
    this.#context.note(`start round=${this.#round} at ${this.#context.monotonicNow().toFixed(3)}`);
    this.#context.setTimer("gossip", this.#context.randomInt(3, 17));
    this.#context.setTimer("spare", 1_000);
  }

  onTimer(name: string): void {
    if (name === "spare") return;
    this.#round++;
    this.#context.storage.set("round", this.#round);
    const message = { type: "gossip", origin: this.#context.id, round: this.#round, path: [] };
    if (this.#round % 3 === 0) this.#context.broadcast(message as Chatter);
    else {
      const peers = this.#context.peers;
      this.#context.send(peers[this.#context.randomInt(0, peers.length - 1)]!, message as Chatter);
    }
    // Moving and cancelling timers leave stale entries in the queue, which must stay invisible.
    this.#context.setTimer("gossip", this.#context.randomInt(3, 17) + this.#context.random());
    if (this.#round % 4 === 0) this.#context.cancelTimer("spare");
    else this.#context.setTimer("spare", 50);
  }

  onMessage(from: NodeId, message: Chatter): void {
    if (message.type === "gossip" && message.path.length < 2 && this.#context.random() < 0.6) {
      const onward = { ...message, path: [...message.path, this.#context.id] };
      this.#context.send(from, {
        type: "ack",
        round: message.round,
        load: { values: [message.round, this.#context.now()], nested: { flag: true } },
      });
      if (this.#context.random() < 0.3) this.#context.broadcast(onward);
    }
  }
}

function faultyRun(seed: number): Simulation<Chatter> {
  const simulation = new Simulation<Chatter>({
    seed,
    traceKeep: "all",
    network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.1 },
    clocks: { offsetMsMax: 50, driftPpmMax: 200 },
  });
  const nodes = simulation.addNodes(["n1", "n2", "n3", "n4", "n5"], (c) => new ChattyNode(c));
  simulation.addNodes(["x1", "x2"], (context) => new ChattyNode(context));
  simulation.at(60, "partition", () => simulation.partition(["n1", "n2"], ["n3"]));
  simulation.at(90, "isolate n5", () => simulation.isolate("n5"));
  simulation.at(120, "crash n2", () => simulation.crash("n2"));
  simulation.at(140, "jump n3 back", () => simulation.jumpClock("n3", -40));
  simulation.at(150, "slow n4", () => simulation.setClockDrift("n4", -5_000));
  simulation.at(170, "heal", () => simulation.heal());
  simulation.at(175, "restart n2", () => simulation.restart("n2"));
  simulation.after(200, "slow link", () =>
    simulation.setLink("n1", "n4", { latencyMs: { min: 40, max: 80 }, duplicateRate: 0.5 }),
  );
  simulation.at(230, "cut", () => simulation.cut("n4", "n1"));
  simulation.at(260, "fractional latency", () =>
    simulation.setNetwork({ latencyMs: { min: 0.5, max: 4.25 }, lossRate: 0.2 }),
  );
  simulation.at(300, "repair", () => simulation.repair("n4", "n1"));
  simulation.at(320, "clear link", () => simulation.clearLink("n1", "n4"));
  simulation.runFor(200);
  simulation.act<ChattyNode>("n1", "client request", (node) => node.onTimer("gossip"));
  simulation.crash("n3");
  simulation.runUntil(() => nodes.liveIds().length === 5 && simulation.nowMs > 280, {
    withinMs: 100,
  });
  simulation.restart("n3");
  simulation.runFor(150);
  simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
  simulation.runUntilQuiet({ withinMs: 2_000 });
  return simulation;
}

function fingerprint(simulation: Simulation<unknown>): string {
  const hash = createHash("sha256");
  hash.update(`${simulation.steps} ${simulation.nowMs}\n`);
  for (const event of simulation.trace()) hash.update(`${JSON.stringify(event)}\n`);
  return hash.digest("hex").slice(0, 16);
}

const golden: Record<number, string> = {
  1: "bef5b4f031649b69",
  2: "d01ee7efe0f4362e",
  3: "bc2fd8ed4270d35c",
  4: "6419c984da408404",
  5: "ebbe1b180341cf16",
};

describe("Simulation: golden traces", () => {
  test("runs are event for event what they were before the simulator was made faster", () => {
    const actual = Object.fromEntries(
      Object.keys(golden).map((seed) => [seed, fingerprint(faultyRun(Number(seed)))]),
    );
    expect(actual, "a run's trace changed: see the comment at the top of this file").toEqual(
      golden,
    );
  });

  test("the golden scenario touches every kind of event", () => {
    const kinds = new Set(
      faultyRun(1)
        .trace()
        .map((event) => event.kind),
    );
    for (const kind of ["send", "deliver", "drop", "timer", "crash", "restart", "fault", "clock"])
      expect(kinds.has(kind as never), `the scenario should produce "${kind}" events`).toBe(true);
    expect(kinds.has("note") && kinds.has("act") && kinds.has("start")).toBe(true);
  });
});
