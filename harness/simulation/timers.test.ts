import { describe, expect, test } from "vitest";
import { NodeError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, SimulatedNode } from "./types.js";

/** Records each timer that fires with the true time and its own clocks at that moment. */
class TimerNode implements SimulatedNode<never> {
  readonly context: NodeContext<never>;
  readonly fired: Array<{ name: string; trueMs: number; monotonicMs: number; pending: boolean }> =
    [];
  readonly #simulation: Simulation<never>;

  constructor(context: NodeContext<never>, simulation: Simulation<never>) {
    this.context = context;
    this.#simulation = simulation;
  }

  onMessage(): void {}

  onTimer(name: string): void {
    this.fired.push({
      name,
      trueMs: this.#simulation.nowMs,
      monotonicMs: this.context.monotonicNow(),
      pending: this.context.hasTimer(name),
    });
  }
}

function oneNode() {
  const simulation = new Simulation<never>({ seed: 1 });
  const nodes = simulation.addNodes(["n1"], (context) => new TimerNode(context, simulation));
  const set = (name: string, delayMs: number) =>
    simulation.act<TimerNode>("n1", `set ${name}`, (node) => node.context.setTimer(name, delayMs));
  return { simulation, node: () => nodes.node("n1")!, set };
}

describe("Simulation: timers", () => {
  test("a timer fires at the virtual time it was set for", () => {
    const { simulation, node, set } = oneNode();
    set("a", 250);
    simulation.runFor(37);
    set("b", 100);
    simulation.runFor(1_000);
    expect(
      node().fired.map(({ name, trueMs }) => `${name}@${trueMs}`),
      "timer a set at 0 for 250ms, timer b set at 37ms for 100ms",
    ).toEqual(["b@137", "a@250"]);
  });

  test("setting a timer again moves it, later or earlier, and it fires once", () => {
    const { simulation, node, set } = oneNode();
    set("later", 100);
    set("earlier", 100);
    simulation.runFor(10);
    set("later", 500);
    set("earlier", 20);
    simulation.runFor(1_000);
    expect(
      node().fired.map(({ name, trueMs }) => `${name}@${trueMs}`),
      "timers set for 100ms, then moved at 10ms to 20ms and 500ms later",
    ).toEqual(["earlier@30", "later@510"]);
  });

  test("a cancelled timer never fires, and hasTimer tells whether a timer is pending", () => {
    const { simulation, node, set } = oneNode();
    set("kept", 50);
    set("cancelled", 50);
    expect(node().context.hasTimer("cancelled"), "hasTimer right after setTimer").toBe(true);
    simulation.act<TimerNode>("n1", "cancel", (timers) => timers.context.cancelTimer("cancelled"));
    expect(node().context.hasTimer("cancelled"), "hasTimer after cancelTimer").toBe(false);
    expect(node().context.hasTimer("never set"), "hasTimer of a name never set").toBe(false);
    simulation.act<TimerNode>("n1", "cancel", (timers) => timers.context.cancelTimer("never set"));
    simulation.runFor(100);
    expect(
      node().fired.map(({ name }) => name),
      "the timers that fired",
    ).toEqual(["kept"]);
    expect(node().fired[0]!.pending, "hasTimer inside onTimer for the timer firing").toBe(false);
    expect(node().context.hasTimer("kept"), "hasTimer after the timer fired").toBe(false);
  });

  test("a timer can be set again from its own onTimer, as a periodic timer", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    const times: number[] = [];
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("tick", 40),
      onMessage: () => {},
      onTimer: (name: string) => {
        times.push(simulation.nowMs);
        context.setTimer(name, 40);
      },
    }));
    simulation.runFor(200);
    expect(times, "a 40ms periodic timer over 200ms").toEqual([40, 80, 120, 160, 200]);
  });

  test("a 0ms timer fires at the same instant, after what was already scheduled then", () => {
    const { simulation, node } = oneNode();
    const order: string[] = [];
    simulation.at(10, "first", () => {
      order.push("first action");
      simulation.act<TimerNode>("n1", "set", (timers) => timers.context.setTimer("zero", 0));
    });
    simulation.at(10, "second", () => order.push("second action"));
    simulation.runFor(20);
    order.push(...node().fired.map(({ name, trueMs }) => `${name}@${trueMs}`));
    expect(order, "what happened at 10ms, in order").toEqual([
      "first action",
      "second action",
      "zero@10",
    ]);
  });

  test("a timer runs in the node's own drifting time", () => {
    const { simulation, node, set } = oneNode();
    simulation.setClockDrift("n1", 100_000); // 10% fast
    set("fast", 1_100);
    simulation.runFor(2_000);
    simulation.setClockDrift("n1", -50_000); // 5% slow
    set("slow", 950);
    simulation.runFor(2_000);
    const [fast, slow] = node().fired;
    expect(fast?.trueMs, "true time when a 10%-fast clock counts 1100ms").toBeCloseTo(1_000, 9);
    expect(fast?.monotonicMs, "the node's own clock when its 1100ms timer fired").toBeCloseTo(
      1_100,
      9,
    );
    expect(slow?.trueMs, "true time when a 5%-slow clock counts 950ms, from 2000ms").toBeCloseTo(
      3_000,
      9,
    );
  });

  test("a negative or non-finite delay is an error that names the timer", () => {
    for (const delayMs of [-1, NaN, Infinity]) {
      const { set } = oneNode();
      let error: unknown;
      try {
        set("bad", delayMs);
      } catch (caught) {
        error = caught;
      }
      expect(error, `setTimer("bad", ${delayMs})`).toBeInstanceOf(NodeError);
      expect((error as Error).message, `setTimer("bad", ${delayMs})`).toMatch(
        /timer "bad" delayMs to be a finite number >= 0/,
      );
    }
  });

  test("a timer on a node without onTimer is an error that says so", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("orphan", 5),
      onMessage: () => {},
    }));
    expect(() => simulation.runFor(10), "a timer fired on a node with no onTimer").toThrow(
      /no onTimer\(name\) method/,
    );
  });
});

describe("Simulation: timers that no longer count", () => {
  test("a cancelled or moved timer is not an event: it uses no step and runs no invariant", () => {
    const { simulation, set } = oneNode();
    let checks = 0;
    simulation.addInvariant("counts its checks", () => {
      checks++;
    });
    // Moving a timer 100 times leaves 99 stale entries behind; none of them may count.
    for (let move = 1; move <= 100; move++) set("election", 1_000 + move);
    const [stepsBefore, checksBefore] = [simulation.steps, checks];
    simulation.runFor(5_000);
    expect(simulation.steps - stepsBefore, "events run after moving one timer 100 times").toBe(1);
    expect(checks - checksBefore, "invariant checks for that one firing").toBe(1);
  });

  test("a crashed node's old context does not see the timers of its next life", () => {
    const { simulation, node } = oneNode();
    const oldContext = node().context;
    simulation.crash("n1");
    simulation.restart("n1");
    simulation.act<TimerNode>("n1", "set election", (fresh) =>
      fresh.context.setTimer("election", 100),
    );
    expect(node().context.hasTimer("election"), "the new life sees its own timer").toBe(true);
    expect(
      oldContext.hasTimer("election"),
      "the old life's context, asked about the same timer",
    ).toBe(false);
  });
});
