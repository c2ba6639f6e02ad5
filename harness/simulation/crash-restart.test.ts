import { describe, expect, test } from "vitest";
import { SimulationError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Ping = { type: "ping"; sequence: number };

/** Counts its starts in storage and everything else in fields, which a crash must wipe. */
class CountingNode implements SimulatedNode<Ping> {
  readonly context: NodeContext<Ping>;
  readonly received: Array<{ from: NodeId; sequence: number }> = [];
  readonly timersFired: string[] = [];
  volatileCount = 0;
  startsSeen = 0;
  monotonicAtStart = -1;

  constructor(context: NodeContext<Ping>) {
    this.context = context;
  }

  onStart(): void {
    this.startsSeen = (this.context.storage.get<number>("starts") ?? 0) + 1;
    this.context.storage.set("starts", this.startsSeen);
    this.monotonicAtStart = this.context.monotonicNow();
  }

  onMessage(from: NodeId, message: Ping): void {
    this.volatileCount++;
    this.received.push({ from, sequence: message.sequence });
  }

  onTimer(name: string): void {
    this.timersFired.push(name);
  }
}

function twoNodes() {
  const simulation = new Simulation<Ping>({
    seed: 1,
    network: { latencyMs: { min: 10, max: 10 } },
  });
  const nodes = simulation.addNodes(["n1", "n2"], (context) => new CountingNode(context));
  return { simulation, nodes };
}

describe("Simulation: crash and restart", () => {
  test("a crash loses the node's fields but keeps its storage", () => {
    const { simulation, nodes } = twoNodes();
    simulation.act<CountingNode>("n1", "count", (node) => {
      node.volatileCount = 5;
      node.context.storage.set("kept", { value: 42 });
    });
    simulation.crash("n1");
    expect(nodes.node("n1"), "a crashed node has no instance").toBeUndefined();
    expect(simulation.isUp("n1"), "isUp of a crashed node").toBe(false);
    expect(nodes.liveIds(), "the live nodes while n1 is down").toEqual(["n2"]);
    simulation.restart("n1");
    const restarted = nodes.node("n1")!;
    expect(restarted.volatileCount, "a field after restart starts from scratch").toBe(0);
    expect(restarted.context.storage.get("kept"), "storage after restart").toEqual({ value: 42 });
    expect(restarted.context.storage.keys().sort(), "the stored keys").toEqual(["kept", "starts"]);
  });

  test("a restarted node runs onStart again, as a fresh instance", () => {
    const { simulation, nodes } = twoNodes();
    const first = nodes.node("n1")!;
    simulation.runFor(5);
    simulation.crash("n1");
    simulation.runFor(5);
    simulation.restart("n1");
    const second = nodes.node("n1")!;
    expect(second, "the restarted node should be a new instance").not.toBe(first);
    expect(second.startsSeen, "starts counted in storage: the first and the restart").toBe(2);
    const kinds = simulation.trace().map((event) => `${event.kind} ${event.node ?? ""}`.trim());
    expect(kinds, "the trace records the crash and the restart").toEqual(
      expect.arrayContaining(["crash n1", "restart n1"]),
    );
  });

  test("a group's live nodes follow every crash and restart, and what it returns is the caller's to change", () => {
    const simulation = new Simulation<Ping>({ seed: 1 });
    const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new CountingNode(context));
    const others = simulation.addNodes(["x1"], (context) => new CountingNode(context));
    expect(nodes.liveIds(), "all up").toEqual(["n1", "n2", "n3"]);
    nodes.liveIds().pop();
    nodes.liveNodes().length = 0;
    expect(nodes.liveIds(), "changing a returned array changes nothing").toEqual([
      "n1",
      "n2",
      "n3",
    ]);
    expect(nodes.liveNodes(), "the instances, unchanged").toHaveLength(3);
    simulation.crash("n2");
    expect(nodes.liveIds(), "after n2 crashed").toEqual(["n1", "n3"]);
    simulation.crash("x1");
    expect(others.liveIds(), "another group's crash").toEqual([]);
    const before = nodes.node("n1");
    simulation.restart("n1");
    simulation.restart("n2");
    expect(nodes.liveIds(), "after the restarts").toEqual(["n1", "n2", "n3"]);
    expect(nodes.liveNodes()[0], "the restarted n1 is a new instance").not.toBe(before);
    expect(nodes.liveNodes()[0], "and the one node() returns").toBe(nodes.node("n1"));
    expect(() => nodes.node("x1"), "a node of another group").toThrow(/not in this group/);
  });

  test("a group's live entries pair each live id with its instance, frozen, new only when liveness changes", () => {
    const simulation = new Simulation<Ping>({ seed: 1 });
    const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new CountingNode(context));
    const entries = nodes.liveEntries();
    expect(
      entries.map(([id, node]) => [id, node === nodes.node(id)]),
      "each id with its instance",
    ).toEqual([
      ["n1", true],
      ["n2", true],
      ["n3", true],
    ]);
    expect(Object.isFrozen(entries) && entries.every(Object.isFrozen), "frozen").toBe(true);
    simulation.runFor(50);
    expect(nodes.liveEntries(), "the same array while nothing crashed").toBe(entries);
    simulation.crash("n2");
    expect(
      nodes.liveEntries().map(([id]) => id),
      "after n2 crashed",
    ).toEqual(["n1", "n3"]);
    simulation.restart("n2");
    const restarted = nodes.liveEntries().find(([id]) => id === "n2")![1];
    expect(restarted, "the restarted n2's new instance").toBe(nodes.node("n2"));
  });

  test("restarting a live node crashes it first", () => {
    const { simulation, nodes } = twoNodes();
    simulation.act<CountingNode>("n1", "count", (node) => (node.volatileCount = 3));
    simulation.restart("n1");
    expect(nodes.node("n1")!.volatileCount, "fields after restarting a live node").toBe(0);
    expect(nodes.node("n1")!.startsSeen, "starts after restarting a live node").toBe(2);
  });

  test("timers set before a crash never fire, even after a restart", () => {
    const { simulation, nodes } = twoNodes();
    simulation.act<CountingNode>("n1", "set timers", (node) => {
      node.context.setTimer("old", 100);
      node.context.setTimer("shared", 100);
    });
    simulation.runFor(50);
    simulation.crash("n1");
    simulation.runFor(10);
    simulation.restart("n1");
    expect(nodes.node("n1")!.context.hasTimer("old"), "hasTimer of the old life's timer").toBe(
      false,
    );
    simulation.act<CountingNode>("n1", "set a timer", (node) =>
      node.context.setTimer("shared", 80),
    );
    simulation.runFor(200);
    expect(
      nodes.node("n1")!.timersFired,
      "only the timer set after the restart should fire, once",
    ).toEqual(["shared"]);
    const firedAt = simulation.trace().filter((event) => event.kind === "timer");
    expect(
      firedAt.map((event) => event.timeMs),
      "when timers fired",
    ).toEqual([140]);
  });

  test("messages that arrive while a node is down are dropped, not kept for its restart", () => {
    const { simulation, nodes } = twoNodes();
    simulation.crash("n2");
    simulation.act<CountingNode>("n1", "send", (node) =>
      node.context.send("n2", { type: "ping", sequence: 1 }),
    );
    simulation.runFor(20);
    simulation.restart("n2");
    simulation.runFor(20);
    expect(nodes.node("n2")!.received, "what n2 received after its restart").toEqual([]);
    const drop = simulation.trace().find((event) => event.kind === "drop");
    expect(drop?.detail, "the trace says why the message was dropped").toBe("n2 is down");
  });

  test("a message in flight to a node that crashes and restarts before it lands is delivered", () => {
    const { simulation, nodes } = twoNodes();
    simulation.act<CountingNode>("n1", "send", (node) =>
      node.context.send("n2", { type: "ping", sequence: 1 }),
    );
    simulation.runFor(3);
    simulation.crash("n2");
    simulation.runFor(3);
    simulation.restart("n2");
    simulation.runFor(20);
    expect(nodes.node("n2")!.received, "the network does not know the node restarted").toEqual([
      { from: "n1", sequence: 1 },
    ]);
  });

  test("the monotonic clock starts again at zero on restart", () => {
    const { simulation, nodes } = twoNodes();
    simulation.runFor(500);
    expect(simulation.clockOf("n1").monotonicMs, "monotonic time after 500ms").toBe(500);
    simulation.crash("n1");
    simulation.runFor(100);
    simulation.restart("n1");
    expect(nodes.node("n1")!.monotonicAtStart, "monotonicNow() in onStart after a restart").toBe(0);
    simulation.runFor(30);
    expect(nodes.node("n1")!.context.monotonicNow(), "30ms after the restart").toBe(30);
    expect(nodes.node("n1")!.context.now(), "the time-of-day clock does not restart").toBe(630);
  });

  test("acting on a crashed node is an error that says it is crashed", () => {
    const { simulation } = twoNodes();
    simulation.crash("n1");
    expect(() => simulation.act("n1", "poke", () => {}), "act on a crashed node").toThrow(
      SimulationError,
    );
    expect(() => simulation.act("n1", "poke", () => {}), "act on a crashed node").toThrow(
      /Cannot act on n1: it is crashed/,
    );
  });

  test("the old instance's context stops working after a crash", () => {
    const { simulation, nodes } = twoNodes();
    const oldContext = nodes.node("n1")!.context;
    simulation.crash("n1");
    simulation.restart("n1");
    expect(
      () => oldContext.send("n2", { type: "ping", sequence: 1 }),
      "send from a crashed instance",
    ).toThrow(/n1 acted after it crashed/);
    expect(() => oldContext.setTimer("zombie", 10), "setTimer from a crashed instance").toThrow(
      /acted after it crashed/,
    );
    expect(
      () => oldContext.storage.set("zombie", 1),
      "a write to storage from a crashed instance",
    ).toThrow(/acted after it crashed/);
    expect(oldContext.storage.get("zombie"), "storage untouched by the old instance").toBe(
      undefined,
    );
  });

  test("crashing a crashed node does nothing", () => {
    const { simulation } = twoNodes();
    simulation.crash("n1");
    simulation.crash("n1");
    const crashes = simulation.trace().filter((event) => event.kind === "crash");
    expect(crashes.length, "crash events for two crashes of the same node").toBe(1);
  });
});
