import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Ball = { hits: number };

/** Returns every ball it receives, until `rallyLength` hits, so a rally ends on its own. */
class RallyNode implements SimulatedNode<Ball> {
  readonly context: NodeContext<Ball>;
  readonly rallyLength: number;
  lastHits = 0;

  constructor(context: NodeContext<Ball>, rallyLength: number) {
    this.context = context;
    this.rallyLength = rallyLength;
  }

  onMessage(from: NodeId, message: Ball): void {
    this.lastHits = message.hits;
    if (message.hits < this.rallyLength) this.context.send(from, { hits: message.hits + 1 });
  }
}

/** Two nodes that rally `rallyLength` times, 10ms per hit; the first hit leaves at 0ms. */
function rally(rallyLength: number) {
  const simulation = new Simulation<Ball>({
    seed: 1,
    network: { latencyMs: { min: 10, max: 10 } },
  });
  const nodes = simulation.addNodes(["a", "b"], (context) => new RallyNode(context, rallyLength));
  simulation.act<RallyNode>("a", "serve", (node) => node.context.send("b", { hits: 1 }));
  const hits = () => Math.max(...nodes.liveNodes().map((node) => node.lastHits));
  return { simulation, hits };
}

describe("Simulation: running", () => {
  test("runFor runs exactly the events due within the duration and ends at its bound", () => {
    const { simulation, hits } = rally(100);
    simulation.runFor(35);
    expect(simulation.nowMs, "true time after runFor(35)").toBe(35);
    expect(hits(), "hits landed at 10, 20 and 30ms").toBe(3);
    simulation.runFor(5);
    expect(hits(), "the hit due at exactly 40ms is included").toBe(4);
    simulation.runFor(0);
    expect(simulation.nowMs, "runFor(0) does not move time").toBe(40);
  });

  test("runFor advances time even when nothing is scheduled", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.runFor(12_345);
    expect(simulation.nowMs, "true time after runFor on an empty simulation").toBe(12_345);
  });

  test("runUntil returns true as soon as the predicate holds, at the event that made it hold", () => {
    const { simulation, hits } = rally(100);
    const held = simulation.runUntil(() => hits() >= 5, { withinMs: 1_000 });
    expect(held, "runUntil's result when the predicate came true").toBe(true);
    expect(simulation.nowMs, "time stops at the fifth hit").toBe(50);
    expect(hits(), "no event runs after the predicate holds").toBe(5);
  });

  test("runUntil checks the predicate before the first event", () => {
    const { simulation } = rally(100);
    const stepsBefore = simulation.steps;
    expect(
      simulation.runUntil(() => true, { withinMs: 1_000 }),
      "an already true predicate",
    ).toBe(true);
    expect(simulation.steps, "events run for an already true predicate").toBe(stepsBefore);
    expect(simulation.nowMs, "time for an already true predicate").toBe(0);
  });

  test("runUntil returns false at its bound and leaves time at the bound", () => {
    const { simulation, hits } = rally(100);
    const held = simulation.runUntil(() => hits() >= 50, { withinMs: 125 });
    expect(held, "runUntil's result when the predicate never held").toBe(false);
    expect(simulation.nowMs, "true time after runUntil ran out").toBe(125);
    expect(hits(), "hits in 125ms").toBe(12);
  });

  test("runUntilQuiet returns true once nothing is left to happen", () => {
    const { simulation, hits } = rally(7);
    expect(simulation.runUntilQuiet({ withinMs: 1_000 }), "a rally of 7 hits goes quiet").toBe(
      true,
    );
    expect(hits(), "hits when quiet").toBe(7);
    expect(simulation.nowMs, "time stops at the last delivery").toBe(70);
  });

  test("runUntilQuiet returns false at its bound while messages still fly", () => {
    const { simulation } = rally(1_000);
    expect(simulation.runUntilQuiet({ withinMs: 100 }), "a rally of 1000 hits in 100ms").toBe(
      false,
    );
    expect(simulation.nowMs, "true time at the bound").toBe(100);
  });

  test("runUntilQuiet waits for pending timers and scheduled actions, but not cancelled timers", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => {
        context.setTimer("cancelled", 10_000);
        context.setTimer("moved", 10_000);
        context.cancelTimer("cancelled");
        context.setTimer("moved", 30);
      },
      onMessage: () => {},
      onTimer: () => {},
    }));
    simulation.at(50, "later", () => {});
    expect(simulation.runUntilQuiet({ withinMs: 1_000 }), "quiet within 1000ms").toBe(true);
    expect(simulation.nowMs, "quiet once the action at 50ms ran").toBe(50);
  });

  test("events due at the same instant run in the order they were scheduled", () => {
    const simulation = new Simulation<Ball>({
      seed: 1,
      network: { latencyMs: { min: 5, max: 5 } },
    });
    const order: string[] = [];
    simulation.addNodes(["n1", "n2"], (context) => ({
      onStart: () => {
        if (context.id === "n1") {
          context.setTimer("t1", 5);
          context.send("n2", { hits: 1 });
          context.setTimer("t2", 5);
          context.send("n2", { hits: 2 });
        }
      },
      onMessage: (_from: NodeId, message: Ball) => order.push(`message ${message.hits}`),
      onTimer: (name: string) => order.push(`timer ${name}`),
    }));
    simulation.at(5, "action", () => order.push("action"));
    simulation.runFor(10);
    expect(order, "what ran at 5ms, in order").toEqual([
      "timer t1",
      "message 1",
      "timer t2",
      "message 2",
      "action",
    ]);
  });

  test("at runs test code at a true time and after runs it a delay from now", () => {
    const { simulation } = rally(100);
    const ran: Array<[string, number]> = [];
    simulation.at(25, "at 25", () => ran.push(["at", simulation.nowMs]));
    simulation.runFor(30);
    simulation.after(15, "15 later", () => ran.push(["after", simulation.nowMs]));
    simulation.runFor(100);
    expect(ran, "when the scheduled actions ran").toEqual([
      ["at", 25],
      ["after", 45],
    ]);
    const labels = simulation
      .trace()
      .filter((event) => event.kind === "act")
      .map((event) => event.detail);
    expect(labels, "the trace records each action by its label").toEqual(
      expect.arrayContaining(["at 25", "15 later"]),
    );
  });

  test("scheduling in the past and negative durations are refused", () => {
    const { simulation } = rally(100);
    simulation.runFor(50);
    expect(() => simulation.at(20, "too late", () => {}), "at(20) at 50ms").toThrow(
      /Cannot schedule "too late" at 20ms: it is already 50ms/,
    );
    expect(() => simulation.runFor(-1), "runFor(-1)").toThrow(RangeError);
    expect(() => new Simulation({ seed: 1.5 }), "a fractional seed").toThrow(/whole number/);
  });

  test("act runs as an event of the run: counted, traced and checked", () => {
    const { simulation } = rally(100);
    let checks = 0;
    simulation.addInvariant("counts checks", () => {
      checks++;
    });
    const stepsBefore = simulation.steps;
    simulation.act<RallyNode>("b", "poke", (node) => (node.lastHits = -1));
    expect(simulation.steps, "steps after one act").toBe(stepsBefore + 1);
    expect(checks, "invariant checks after one act").toBe(1);
    const last = simulation.trace().at(-1);
    expect(`${last?.kind} ${last?.node} ${last?.detail}`, "the act's trace line").toBe(
      "act b poke",
    );
  });

  test("a group reads its own nodes and refuses others", () => {
    const simulation = new Simulation<Ball>({ seed: 1 });
    const left = simulation.addNodes(["l1", "l2"], (context) => new RallyNode(context, 1));
    simulation.addNodes(["r1"], (context) => new RallyNode(context, 1));
    expect(left.ids, "the group's ids").toEqual(["l1", "l2"]);
    expect(
      left.node("l1")?.context.peers,
      "l1's peers are the others in its addNodes call",
    ).toEqual(["l2"]);
    expect(() => left.node("r1"), "asking a group for another group's node").toThrow(
      /r1 is not in this group/,
    );
    expect(simulation.nodeIds(), "every node, in the order added").toEqual(["l1", "l2", "r1"]);
    expect(
      () => simulation.addNodes(["l1"], (context) => new RallyNode(context, 1)),
      "a duplicate name",
    ).toThrow(/already exists/);
    expect(() => simulation.crash("nobody"), "crashing an unknown node").toThrow(
      /No node named "nobody"/,
    );
  });
});

describe("Simulation: a node's view of its peers", () => {
  test("context.peers is frozen: node code cannot change the harness's list", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    let peers: readonly string[] = [];
    simulation.addNodes(["n1", "n2", "n3"], (context) => {
      if (context.id === "n1") peers = context.peers;
      return { onMessage: () => {} };
    });
    expect(peers, "n1's peers").toEqual(["n2", "n3"]);
    expect(() => (peers as string[]).push("n4"), "pushing onto context.peers").toThrow(TypeError);
    expect(peers, "n1's peers after the attempt").toEqual(["n2", "n3"]);
  });
});
