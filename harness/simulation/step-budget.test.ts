import { describe, expect, test } from "vitest";
import { StepBudgetExceeded } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Token = { hops: number };

/** Answers every message with another one: a livelock when two of them talk. */
class EchoNode implements SimulatedNode<Token> {
  readonly #context: NodeContext<Token>;

  constructor(context: NodeContext<Token>) {
    this.#context = context;
  }

  onStart(): void {
    if (this.#context.id === "n1") this.#context.send("n2", { hops: 0 });
  }

  onMessage(from: NodeId, message: Token): void {
    this.#context.send(from, { hops: message.hops + 1 });
  }
}

/** Broadcasts every message it receives to all its peers: a storm that doubles and more. */
class StormNode implements SimulatedNode<Token> {
  readonly #context: NodeContext<Token>;

  constructor(context: NodeContext<Token>) {
    this.#context = context;
  }

  onStart(): void {
    if (this.#context.id === "n1") this.#context.broadcast({ hops: 0 });
  }

  onMessage(_from: NodeId, message: Token): void {
    this.#context.broadcast({ hops: message.hops + 1 });
  }
}

function runCatching(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return expect.fail("the run should have stopped with an error instead of finishing");
}

describe("Simulation: step budget", () => {
  test("a 0ms timer that sets itself again stops with StepBudgetExceeded, not a hang", () => {
    const simulation = new Simulation<never>({ seed: 1, stepsMax: 5_000 });
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("spin", 0),
      onMessage: () => {},
      onTimer: () => context.setTimer("spin", 0),
    }));
    const error = runCatching(() => simulation.runFor(1_000));
    expect(error, "the error's class").toBeInstanceOf(StepBudgetExceeded);
    expect(error.message, "the message names the budget").toContain(
      "The run used its whole budget of 5,000 events by t=0.000ms",
    );
    expect(error.message, "the message suggests the likely causes").toMatch(/livelock.*0ms/s);
    expect(simulation.nowMs, "time never moved: every event was at 0ms").toBe(0);
  });

  test("two nodes ping-ponging forever stop with StepBudgetExceeded", () => {
    const simulation = new Simulation<Token>({ seed: 1, stepsMax: 5_000 });
    simulation.addNodes(["n1", "n2"], (context) => new EchoNode(context));
    const error = runCatching(() => simulation.runUntilQuiet({ withinMs: Infinity }));
    expect(error, "the error's class").toBeInstanceOf(StepBudgetExceeded);
    expect(error.message, "the message names the budget").toContain("whole budget of 5,000 events");
  });

  test("the budget counts every event: a run of exactly stepsMax events is allowed", () => {
    // Two starts, then one delivery per 10ms: 5,000 events by t=49,980ms.
    const simulation = new Simulation<Token>({
      seed: 1,
      stepsMax: 5_000,
      network: { latencyMs: { min: 10, max: 10 } },
    });
    simulation.addNodes(["n1", "n2"], (context) => new EchoNode(context));
    simulation.runFor(49_980);
    expect(simulation.steps, "events run").toBe(5_000);
    expect(() => simulation.runFor(10), "the 5,001st event").toThrow(StepBudgetExceeded);
  });

  test("a message storm stops with an error before it exhausts memory", () => {
    const ids = Array.from({ length: 11 }, (_, index) => `n${index + 1}`);
    const simulation = new Simulation<Token>({
      seed: 1,
      network: { latencyMs: { min: 1, max: 1 } },
    });
    const error = runCatching(() => {
      simulation.addNodes(ids, (context) => new StormNode(context));
      simulation.runFor(1_000);
    });
    expect(error, "the error's class").toBeInstanceOf(StepBudgetExceeded);
    expect(error.message, "the message calls it a storm").toContain(
      "More than 100,000 messages are in flight",
    );
    expect(error.message, "the message suggests the likely cause").toMatch(/message storm/);
    expect(simulation.nowMs, "the storm grows tenfold per millisecond").toBeLessThan(10);
  });
});
