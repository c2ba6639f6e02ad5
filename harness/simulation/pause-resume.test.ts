import { describe, expect, test } from "vitest";
import { SimulationError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Ping = { type: "ping"; sequence: number };

/** Records what it handled, and when by its own clocks. */
class RecordingNode implements SimulatedNode<Ping> {
  readonly context: NodeContext<Ping>;
  readonly handled: string[] = [];
  readonly handledAtMonotonicMs: number[] = [];

  constructor(context: NodeContext<Ping>) {
    this.context = context;
  }

  onMessage(from: NodeId, message: Ping): void {
    this.handled.push(`${from}:${message.sequence}`);
    this.handledAtMonotonicMs.push(this.context.monotonicNow());
  }

  onTimer(name: string): void {
    this.handled.push(`timer:${name}`);
    this.handledAtMonotonicMs.push(this.context.monotonicNow());
  }
}

function cluster() {
  const simulation = new Simulation<Ping>({
    seed: 1,
    traceKeep: "all",
    network: { latencyMs: { min: 10, max: 10 } },
  });
  const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new RecordingNode(context));
  const send = (from: NodeId, to: NodeId, sequence: number): void =>
    simulation.act<RecordingNode>(from, `send ${sequence}`, (node) =>
      node.context.send(to, { type: "ping", sequence }),
    );
  return { simulation, nodes, send };
}

describe("Simulation: pause and resume", () => {
  test("a paused node handles nothing; on resume it handles what arrived, in arrival order", () => {
    const { simulation, nodes, send } = cluster();
    simulation.pause("n2");
    send("n1", "n2", 1);
    simulation.runFor(3);
    send("n3", "n2", 2);
    send("n1", "n2", 3);
    simulation.runFor(100);
    expect(nodes.node("n2")!.handled, "a paused node should handle no message").toEqual([]);
    expect(simulation.isPaused("n2"), "isPaused while paused").toBe(true);
    expect(simulation.isUp("n2"), "a paused node is still up").toBe(true);
    simulation.resume("n2");
    simulation.runFor(0);
    expect(
      nodes.node("n2")!.handled,
      "on resume, the messages that waited, in the order they arrived",
    ).toEqual(["n1:1", "n3:2", "n1:3"]);
    const delivered = simulation.trace().filter((event) => event.kind === "deliver");
    expect(
      delivered.map((event) => event.timeMs),
      "they are delivered late, when the node resumes",
    ).toEqual([103, 103, 103]);
  });

  test("timers that come due while paused fire late, on resume, in the order they came due", () => {
    const { simulation, nodes } = cluster();
    simulation.act<RecordingNode>("n1", "set timers", (node) => {
      node.context.setTimer("late", 30);
      node.context.setTimer("early", 20);
      node.context.setTimer("after", 500);
    });
    simulation.pause("n1");
    simulation.runFor(100);
    expect(nodes.node("n1")!.handled, "no timer fires while paused").toEqual([]);
    expect(nodes.node("n1")!.context.hasTimer("early"), "a due timer is still pending").toBe(true);
    simulation.resume("n1");
    simulation.runFor(1_000);
    expect(nodes.node("n1")!.handled, "the timers, in the order they came due").toEqual([
      "timer:early",
      "timer:late",
      "timer:after",
    ]);
    expect(
      nodes.node("n1")!.handledAtMonotonicMs,
      "the node's clocks kept running through the pause: the due timers fire at 100ms",
    ).toEqual([100, 100, 500]);
  });

  test("a paused node's clocks keep running", () => {
    const simulation = new Simulation<Ping>({ seed: 3, clocks: { offsetMsMax: 50 } });
    simulation.addNodes(["n1"], (context) => new RecordingNode(context));
    const before = simulation.clockOf("n1");
    simulation.pause("n1");
    simulation.runFor(250);
    const during = simulation.clockOf("n1");
    expect(during.wallMs - before.wallMs, "time of day during a pause").toBe(250);
    expect(during.monotonicMs - before.monotonicMs, "monotonic time during a pause").toBe(250);
  });

  test("a message the network drops while the node is paused stays dropped; one that got through is handled after a later partition", () => {
    const { simulation, nodes, send } = cluster();
    simulation.pause("n2");
    send("n1", "n2", 1);
    simulation.runFor(20); // arrived and waiting
    simulation.partition(["n1"], ["n2", "n3"]);
    simulation.runFor(20);
    simulation.resume("n2");
    simulation.runFor(20);
    expect(
      nodes.node("n2")!.handled,
      "a message that reached the paused node before the partition should still be handled",
    ).toEqual(["n1:1"]);

    const second = cluster();
    second.simulation.pause("n2");
    second.send("n1", "n2", 1);
    second.simulation.partition(["n1"], ["n2", "n3"]);
    second.simulation.runFor(20);
    second.simulation.heal();
    second.simulation.resume("n2");
    second.simulation.runFor(20);
    expect(
      second.nodes.node("n2")!.handled,
      "a message the partition stopped on its way should be dropped, paused or not",
    ).toEqual([]);
  });

  test("a crash ends a pause: what waited is lost, and the restarted node does not see it", () => {
    const { simulation, nodes, send } = cluster();
    simulation.act<RecordingNode>("n2", "set timer", (node) => node.context.setTimer("t", 5));
    simulation.pause("n2");
    send("n1", "n2", 1);
    simulation.runFor(20);
    simulation.crash("n2");
    expect(simulation.isPaused("n2"), "a crashed node is not paused").toBe(false);
    simulation.restart("n2");
    simulation.runFor(100);
    expect(nodes.node("n2")!.handled, "nothing from before the crash").toEqual([]);
    const drop = simulation.trace().find((event) => event.kind === "drop");
    expect(drop?.detail, "the waiting message is dropped, and the trace says why").toBe(
      "n2 crashed before handling it",
    );
    expect(simulation.runUntilQuiet({ withinMs: 10 }), "nothing is left in flight").toBe(true);
  });

  test("messages waiting at a paused node keep the run from being quiet", () => {
    const { simulation, send } = cluster();
    simulation.pause("n2");
    send("n1", "n2", 1);
    expect(simulation.runUntilQuiet({ withinMs: 500 }), "quiet while a message waits").toBe(false);
    simulation.resume("n2");
    expect(simulation.runUntilQuiet({ withinMs: 500 }), "quiet once it is handled").toBe(true);
  });

  test("the trace records pause and resume, with what waited", () => {
    const { simulation, send } = cluster();
    simulation.runFor(7);
    simulation.pause("n3");
    send("n1", "n3", 1);
    send("n2", "n3", 2);
    simulation.runFor(50);
    simulation.resume("n3");
    const marks = simulation
      .trace()
      .filter((event) => event.kind === "pause" || event.kind === "resume")
      .map((event) => [event.kind, event.node, event.timeMs, event.detail]);
    expect(marks, "pause and resume in the trace").toEqual([
      ["pause", "n3", 7, undefined],
      ["resume", "n3", 57, "2 messages and 0 timers waited"],
    ]);
  });

  test("pausing twice, or resuming a running node, does nothing; acting on a paused node is an error", () => {
    const { simulation } = cluster();
    simulation.resume("n1");
    simulation.pause("n1");
    simulation.pause("n1");
    expect(
      simulation.trace().filter((event) => event.kind === "pause").length,
      "one pause recorded",
    ).toBe(1);
    expect(() => simulation.act("n1", "request", () => {}), "act on a paused node").toThrow(
      SimulationError,
    );
    expect(() => simulation.pause("n9"), "an unknown node").toThrow(/No node named "n9"/);
  });

  test("pause and resume from a scheduled action, mid-run", () => {
    const { simulation, nodes } = cluster();
    simulation.act<RecordingNode>("n1", "set timer", (node) => node.context.setTimer("tick", 50));
    simulation.at(10, "pause n1", () => simulation.pause("n1"));
    simulation.at(80, "resume n1", () => simulation.resume("n1"));
    simulation.runFor(200);
    expect(nodes.node("n1")!.handledAtMonotonicMs, "the timer fires at the resume").toEqual([80]);
  });
});
