import { describe, expect, test } from "vitest";
import { NodeClock } from "./node-clock.js";
import { Random } from "./random.js";
import { Simulation } from "./simulation.js";
import type { NodeContext } from "./types.js";

/** A node that does nothing but hand its context to the test, to read its clocks. */
function clockNodes(ids: string[], clocks?: { offsetMsMax?: number; driftPpmMax?: number }) {
  const simulation = new Simulation<never>({ seed: 3, ...(clocks ? { clocks } : {}) });
  const contexts = new Map<string, NodeContext<never>>();
  simulation.addNodes(ids, (context) => {
    contexts.set(context.id, context);
    return { onMessage: () => {} };
  });
  return { simulation, context: (id: string) => contexts.get(id)! };
}

describe("Simulation: node clocks", () => {
  test("without clock options, every node's clocks read true time", () => {
    const { simulation, context } = clockNodes(["n1", "n2"]);
    simulation.runFor(1_234);
    for (const id of ["n1", "n2"]) {
      expect(context(id).now(), `${id}'s now() at true time 1234ms`).toBe(1_234);
      expect(context(id).monotonicNow(), `${id}'s monotonicNow() at 1234ms`).toBe(1_234);
    }
  });

  test("each node's offset and drift are drawn within the bounds, and differ between nodes", () => {
    const ids = Array.from({ length: 30 }, (_, index) => `n${index + 1}`);
    const { simulation } = clockNodes(ids, { offsetMsMax: 50, driftPpmMax: 100 });
    const offsets = ids.map((id) => simulation.clockOf(id).wallMs);
    const drifts = ids.map((id) => simulation.clockOf(id).driftPpm);
    const outside = ids.filter(
      (_, index) => Math.abs(offsets[index]!) > 50 || Math.abs(drifts[index]!) > 100,
    );
    expect(outside, "nodes whose offset is beyond ±50ms or drift beyond ±100ppm").toEqual([]);
    expect(
      Math.max(...offsets) - Math.min(...offsets),
      "the spread of 30 offsets drawn from ±50ms",
    ).toBeGreaterThan(50);
    expect(
      Math.max(...drifts) - Math.min(...drifts),
      "the spread of 30 drifts drawn from ±100ppm",
    ).toBeGreaterThan(100);
    expect(
      ids.map((id) => simulation.clockOf(id).monotonicMs),
      "every monotonic clock starts at zero, whatever its offset",
    ).toEqual(ids.map(() => 0));
  });

  test("jumpClock moves now() forwards and backwards, but never monotonicNow()", () => {
    const { simulation, context } = clockNodes(["n1"]);
    simulation.runFor(1_000);
    simulation.jumpClock("n1", 500);
    expect(context("n1").now(), "now() after a +500ms jump at 1000ms").toBe(1_500);
    expect(context("n1").monotonicNow(), "monotonicNow() after a +500ms jump").toBe(1_000);
    simulation.jumpClock("n1", -800);
    expect(context("n1").now(), "now() after a further -800ms jump").toBe(700);
    expect(context("n1").monotonicNow(), "monotonicNow() after a -800ms jump").toBe(1_000);
    simulation.runFor(100);
    expect(context("n1").now(), "now() 100ms later").toBe(800);
    expect(context("n1").monotonicNow(), "monotonicNow() 100ms later").toBe(1_100);
    const details = simulation.trace().map((event) => event.detail);
    expect(details, "the trace records both jumps").toEqual(
      expect.arrayContaining(["jump +500ms", "jump -800ms"]),
    );
  });

  test("a drift of 100ppm gains 0.1ms per second", () => {
    const { simulation, context } = clockNodes(["n1", "n2"]);
    simulation.setClockDrift("n1", 100);
    simulation.setClockDrift("n2", -100);
    simulation.runFor(1_000);
    expect(context("n1").now(), "a +100ppm clock after one true second").toBeCloseTo(1_000.1, 9);
    expect(context("n2").now(), "a -100ppm clock after one true second").toBeCloseTo(999.9, 9);
    simulation.runFor(9_000);
    expect(context("n1").now(), "a +100ppm clock after ten true seconds").toBeCloseTo(10_001, 9);
    expect(context("n1").monotonicNow(), "the monotonic clock drifts at the same rate").toBeCloseTo(
      10_001,
      9,
    );
  });

  test("setClockDrift keeps the clock's reading continuous and changes only its rate", () => {
    const { simulation, context } = clockNodes(["n1"], { offsetMsMax: 50, driftPpmMax: 100 });
    simulation.runFor(2_000);
    const before = { wall: context("n1").now(), monotonic: context("n1").monotonicNow() };
    simulation.setClockDrift("n1", 20_000);
    expect(context("n1").now(), "now() just after the drift changed").toBeCloseTo(before.wall, 9);
    expect(context("n1").monotonicNow(), "monotonicNow() just after the drift changed").toBeCloseTo(
      before.monotonic,
      9,
    );
    simulation.runFor(1_000);
    expect(context("n1").now() - before.wall, "a 2%-fast clock over one true second").toBeCloseTo(
      1_020,
      9,
    );
    expect(simulation.clockOf("n1").driftPpm, "clockOf reports the new drift").toBe(20_000);
  });

  test("the monotonic clock never goes backwards, whatever jumps and drift changes happen", () => {
    const random = new Random(5);
    const { simulation, context } = clockNodes(["n1"], { offsetMsMax: 1_000, driftPpmMax: 500 });
    let previous = context("n1").monotonicNow();
    for (let change = 0; change < 200; change++) {
      if (random.chance(0.5)) simulation.jumpClock("n1", random.int(-5_000, 5_000));
      else simulation.setClockDrift("n1", random.int(-100_000, 100_000));
      simulation.runFor(random.int(0, 50));
      const reading = context("n1").monotonicNow();
      if (reading < previous)
        expect.fail(`monotonicNow() went from ${previous} back to ${reading} at change ${change}`);
      previous = reading;
    }
  });
});

describe("NodeClock", () => {
  test("reads trueMs * (1 + drift) + offset, and a jump shifts only the time of day", () => {
    const clock = new NodeClock(25, 1_000);
    expect(clock.wallMs(0), "the offset at true time 0").toBe(25);
    expect(clock.wallMs(1_000), "after one second at +1000ppm").toBeCloseTo(1_026, 9);
    clock.restartMonotonic(1_000);
    expect(clock.monotonicMs(1_000), "the monotonic clock right after a restart").toBe(0);
    clock.jump(-100);
    expect(clock.offsetMs, "the offset after a -100ms jump").toBe(-75);
    expect(clock.wallMs(2_000), "one second later").toBeCloseTo(1_026 - 100 + 1_001, 9);
    expect(clock.monotonicMs(2_000), "the monotonic clock ignores the jump").toBeCloseTo(1_001, 9);
    expect(clock.trueDurationOf(1_001), "true time for 1001 local ms at +1000ppm").toBeCloseTo(
      1_000,
      9,
    );
  });
});
