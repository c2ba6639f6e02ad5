import { describe, expect, test } from "vitest";
import { Simulation, type NodeContext, type SimulatedNode } from "../index.js";
import { AvailabilityRecorder, LatencyRecorder, MessageCounter } from "./recorders.js";

describe("LatencyRecorder", () => {
  test("summarises by nearest rank: values that occurred", () => {
    const latencies = new LatencyRecorder();
    for (const value of [5, 1, 3, 2, 100, 4, 6, 7, 8, 9]) latencies.record(value);
    expect(latencies.summary()).toEqual({
      count: 10,
      p50Ms: 5,
      p99Ms: 100,
      maxMs: 100,
      meanMs: 14.5,
    });
    expect(latencies.quantileMs(0.9)).toBe(9);
  });

  test("refuses a negative or infinite latency, and a summary of nothing", () => {
    const latencies = new LatencyRecorder();
    expect(() => latencies.record(-1)).toThrow(/finite number >= 0, got -1/);
    expect(() => latencies.record(Infinity)).toThrow(/got Infinity/);
    expect(() => latencies.summary()).toThrow(/at least one value/);
  });
});

describe("MessageCounter", () => {
  class Chatty implements SimulatedNode<{ type: "hello" | "bye" }> {
    readonly #context: NodeContext<{ type: "hello" | "bye" }>;
    constructor(context: NodeContext<{ type: "hello" | "bye" }>) {
      this.#context = context;
    }
    onStart(): void {
      if (this.#context.id !== "n1") return;
      this.#context.broadcast({ type: "hello" });
      this.#context.send("n2", { type: "bye" });
    }
    onMessage(): void {}
  }

  test("counts a send as one message and a broadcast as one per peer, by type", () => {
    const counter = new MessageCounter();
    const simulation = new Simulation<{ type: "hello" | "bye" }>({ seed: 1 });
    simulation.addNodes(["n1", "n2", "n3", "n4"], (context) => new Chatty(counter.wrap(context)));
    simulation.runUntilQuiet({ withinMs: 1_000 });
    expect(counter.total).toBe(4);
    expect(Object.fromEntries(counter.byType())).toEqual({ hello: 3, bye: 1 });
    expect(counter.perOperation(2)).toBe(2);
    expect(counter.perOperation(0)).toBe(0);
  });
});

describe("AvailabilityRecorder", () => {
  test("counts an operation as available only when it succeeded within the deadline", () => {
    const availability = new AvailabilityRecorder(100);
    const fast = availability.start(0);
    availability.succeeded(fast, 50);
    const slow = availability.start(10);
    availability.succeeded(slow, 500);
    availability.start(20); // never answered
    const later = availability.start(1_000);
    availability.succeeded(later, 1_010);
    expect(availability.availability(0, 1_000)).toBeCloseTo(1 / 3);
    expect(availability.availability(1_000, 2_000)).toBe(1);
    expect(availability.availability(2_000, 3_000), "no attempts is no data, not 100%").toBeNaN();
    expect(availability.attempted()).toBe(4);
    expect(availability.windows(1_000, 0, 2_000).map((window) => window.availability)).toEqual([
      1 / 3,
      1,
    ]);
  });

  test("refuses a success before the start and a deadline that is not positive", () => {
    expect(() => new AvailabilityRecorder(0)).toThrow(/deadline > 0/);
    const availability = new AvailabilityRecorder(10);
    const attempt = availability.start(100);
    expect(() => availability.succeeded(attempt, 50)).toThrow(/cannot succeed earlier/);
  });
});
