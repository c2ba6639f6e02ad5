import { describe, expect, test } from "vitest";
import { InvariantViolation } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, SimulatedNode } from "./types.js";

/** Counts up on a 10ms timer; the invariants below watch its count. */
class CounterNode implements SimulatedNode<never> {
  readonly #context: NodeContext<never>;
  count = 0;

  constructor(context: NodeContext<never>) {
    this.#context = context;
  }

  onStart(): void {
    this.#context.setTimer("count", 10);
  }

  onMessage(): void {}

  onTimer(): void {
    this.count++;
    this.#context.setTimer("count", 10);
  }
}

function counter() {
  const simulation = new Simulation<never>({ seed: 9, name: "counting" });
  const nodes = simulation.addNodes(["n1"], (context) => new CounterNode(context));
  return { simulation, count: () => nodes.node("n1")!.count };
}

function runCatching(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return expect.fail("the run should have stopped with an error");
}

describe("Simulation: invariants", () => {
  test("an invariant is checked after every event", () => {
    const { simulation } = counter();
    let checks = 0;
    simulation.addInvariant("counts checks", () => {
      checks++;
    });
    const stepsBefore = simulation.steps;
    simulation.runFor(100);
    expect(simulation.steps - stepsBefore, "events in 100ms of a 10ms timer").toBe(10);
    expect(checks, "invariant checks: one per event").toBe(10);
  });

  test("a broken invariant stops the run at the event that broke it", () => {
    const { simulation, count } = counter();
    simulation.addInvariant("the count stays below 5", () =>
      count() < 5 ? undefined : `the count reached ${count()}`,
    );
    const error = runCatching(() => simulation.runFor(1_000));
    expect(error, "the error's class").toBeInstanceOf(InvariantViolation);
    expect(count(), "no event should run after the one that broke the invariant").toBe(5);
    expect(simulation.nowMs, "the run should stop when the fifth timer fired").toBe(50);
  });

  test("the violation names the invariant, gives its message and shows the event", () => {
    const { simulation, count } = counter();
    simulation.addInvariant("the count stays below 3", () =>
      count() < 3 ? undefined : `the count reached ${count()}`,
    );
    const { message } = runCatching(() => simulation.runFor(1_000));
    expect(message, "the invariant's name").toContain("Invariant broken: the count stays below 3");
    expect(message, "the invariant's own message").toContain("the count reached 3");
    expect(message, "when it broke").toContain("(at t=30.000ms, step 4)");
    expect(message, "the event that broke it").toMatch(
      /The last event was:\n\s+30\.000 #4\s+timer\s+n1 \(count\)/,
    );
    expect(message, "the seed, for replaying").toContain('Simulation "counting", seed 9');
  });

  test("an invariant that throws counts as broken, with the thrown message", () => {
    const { simulation, count } = counter();
    simulation.addInvariant("no throwing", () => {
      if (count() === 2) throw new Error("cannot check a count of 2");
    });
    const error = runCatching(() => simulation.runFor(1_000));
    expect(error, "the error's class").toBeInstanceOf(InvariantViolation);
    expect(error.message, "the thrown message").toContain("cannot check a count of 2");
  });

  test("invariants that keep holding let the run finish", () => {
    const { simulation, count } = counter();
    simulation.addInvariant("the count never goes negative", () =>
      count() >= 0 ? undefined : "negative",
    );
    simulation.runFor(1_000);
    expect(count(), "timers fired over 1000ms").toBe(100);
  });
});
