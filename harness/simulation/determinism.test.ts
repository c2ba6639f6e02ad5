import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Gossip = { type: "gossip"; origin: NodeId; round: number } | { type: "ack"; round: number };

/**
 * A chatty node: it gossips on a randomised timer, answers some gossip with an ack, keeps its
 * round in storage and notes what its clocks read, so a trace records the network, the timers,
 * the storage, the clocks and the node's own random stream all at once.
 */
class GossipNode implements SimulatedNode<Gossip> {
  readonly #context: NodeContext<Gossip>;
  /** Extra random numbers drawn and thrown away on every event, to test stream independence. */
  readonly #wastedDraws: number;
  #round = 0;

  constructor(context: NodeContext<Gossip>, wastedDraws = 0) {
    this.#context = context;
    this.#wastedDraws = wastedDraws;
  }

  onStart(): void {
    this.#round = this.#context.storage.get<number>("round") ?? 0;
    this.#context.note(`start round=${this.#round} monotonic=${this.#context.monotonicNow()}`);
    this.#context.setTimer("gossip", this.#context.randomInt(5, 25));
  }

  onTimer(): void {
    this.#waste();
    this.#round++;
    this.#context.storage.set("round", this.#round);
    this.#context.note(`round ${this.#round} at ${this.#context.now().toFixed(3)}`);
    this.#context.broadcast({ type: "gossip", origin: this.#context.id, round: this.#round });
    this.#context.setTimer("gossip", this.#context.randomInt(5, 25));
  }

  onMessage(from: NodeId, message: Gossip): void {
    this.#waste();
    if (message.type === "gossip" && this.#context.random() < 0.5) {
      this.#context.send(from, { type: "ack", round: message.round });
    }
  }

  #waste(): void {
    for (let draw = 0; draw < this.#wastedDraws; draw++) this.#context.random();
  }
}

/** Every kind of fault the simulator has, scripted mid-run, on top of a lossy network. */
function faultyRun(seed: number): Simulation<Gossip> {
  const simulation = new Simulation<Gossip>({
    seed,
    traceKeep: "all",
    network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.1 },
    clocks: { offsetMsMax: 50, driftPpmMax: 200 },
  });
  simulation.addNodes(["n1", "n2", "n3", "n4"], (context) => new GossipNode(context));
  simulation.at(100, "partition", () => simulation.partition(["n1", "n2"], ["n3"]));
  simulation.at(150, "crash n2", () => simulation.crash("n2"));
  simulation.at(200, "jump n3 back", () => simulation.jumpClock("n3", -40));
  simulation.at(220, "slow n4", () => simulation.setClockDrift("n4", -5_000));
  simulation.at(250, "heal", () => simulation.heal());
  simulation.at(260, "restart n2", () => simulation.restart("n2"));
  simulation.at(300, "slow link", () =>
    simulation.setLink("n1", "n4", { latencyMs: { min: 40, max: 80 } }),
  );
  simulation.at(350, "cut", () => simulation.cut("n4", "n1"));
  simulation.runFor(500);
  return simulation;
}

describe("Simulation: determinism", () => {
  test("the same seed gives the same trace, event for event, under every kind of fault", () => {
    const first = faultyRun(7);
    const second = faultyRun(7);
    const kinds = new Set(first.trace().map((event) => event.kind));
    for (const kind of ["deliver", "drop", "timer", "crash", "restart", "fault", "clock", "note"]) {
      expect(kinds.has(kind as never), `the scenario should produce "${kind}" events`).toBe(true);
    }
    expect(
      first.trace().length,
      "the scenario should be message-heavy (over 500 events)",
    ).toBeGreaterThan(500);
    const firstText = first.traceText();
    const secondText = second.traceText();
    if (firstText !== secondText) {
      const firstLines = firstText.split("\n");
      const secondLines = secondText.split("\n");
      const index = firstLines.findIndex((line, at) => line !== secondLines[at]);
      expect.fail(
        `two runs with seed 7 should be identical, but they differ at line ${index + 1}:\n` +
          `first:  ${firstLines[index]}\nsecond: ${secondLines[index]}`,
      );
    }
  });

  test("different seeds give different traces", () => {
    const traces = [1, 2, 3, 4].map((seed) => faultyRun(seed).traceText());
    expect(
      new Set(traces).size,
      "seeds 1 to 4 should give four different runs, but some were identical",
    ).toBe(4);
  });

  test("a node drawing extra random numbers does not change network delays or other nodes", () => {
    const run = (wastedDraws: number): string => {
      const simulation = new Simulation<Gossip>({
        seed: 11,
        traceKeep: "all",
        network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.1 },
      });
      // Only n1 wastes draws; n1's own choices use its stream, so it must not make any.
      simulation.addNodes(["n1"], (context) => new SilentNode(context, wastedDraws));
      simulation.addNodes(["n2", "n3"], (context) => new GossipNode(context));
      simulation.runFor(300);
      return simulation.traceText();
    };
    const plain = run(0);
    const wasteful = run(5);
    expect(plain.length, "the run should have events").toBeGreaterThan(0);
    expect(
      wasteful,
      "n1 drawing five extra random numbers per event changed when messages arrived elsewhere: " +
        "each node's random stream must be separate from the network's and the other nodes'",
    ).toBe(plain);
  });
});

/** Sends to n2 and n3 on a fixed schedule, drawing (and ignoring) random numbers as it goes. */
class SilentNode implements SimulatedNode<Gossip> {
  readonly #context: NodeContext<Gossip>;
  readonly #wastedDraws: number;
  #round = 0;

  constructor(context: NodeContext<Gossip>, wastedDraws: number) {
    this.#context = context;
    this.#wastedDraws = wastedDraws;
  }

  onStart(): void {
    this.#context.setTimer("send", 10);
  }

  onTimer(): void {
    for (let draw = 0; draw < this.#wastedDraws; draw++) this.#context.random();
    this.#round++;
    this.#context.send("n2", { type: "gossip", origin: "n1", round: this.#round });
    this.#context.send("n3", { type: "gossip", origin: "n1", round: this.#round });
    this.#context.setTimer("send", 10);
  }

  onMessage(): void {
    for (let draw = 0; draw < this.#wastedDraws; draw++) this.#context.random();
  }
}
