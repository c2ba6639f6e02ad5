import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import {
  formatTraceEvent,
  noPayload,
  TraceRecorder,
  wholeTraceEventsMax,
  type TraceEvent,
} from "./trace.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Ping = { type: "ping"; round: number };

class PingNode implements SimulatedNode<Ping> {
  readonly #context: NodeContext<Ping>;
  #round = 0;

  constructor(context: NodeContext<Ping>) {
    this.#context = context;
  }

  onStart(): void {
    if (this.#context.id === "n1") this.#context.setTimer("ping", 100);
  }

  onTimer(): void {
    this.ping();
  }

  onMessage(from: NodeId, message: Ping): void {
    this.#context.note(`got round ${message.round} from ${from}`);
  }

  ping(): void {
    this.#round++;
    this.#context.send("n2", { type: "ping", round: this.#round });
  }
}

/** A short story touching every kind of trace line. */
function tinyRun(): Simulation<Ping> {
  const simulation = new Simulation<Ping>({
    seed: 5,
    name: "tiny",
    traceKeep: "all",
    network: { latencyMs: { min: 12, max: 12 } },
  });
  simulation.addNodes(["n1", "n2"], (context) => new PingNode(context));
  simulation.runFor(120);
  simulation.crash("n2");
  simulation.act<PingNode>("n1", "ping while n2 is down", (node) => node.ping());
  simulation.runFor(20);
  simulation.jumpClock("n1", -5);
  simulation.partition(["n1"], ["n2"]);
  simulation.act<PingNode>("n1", "ping across the partition", (node) => node.ping());
  simulation.at(150, "restart n2", () => simulation.restart("n2"));
  simulation.runFor(20);
  simulation.heal();
  return simulation;
}

describe("Simulation: trace", () => {
  test("the trace text of a tiny run is exactly as expected", () => {
    const expected = [
      "     0.000 #1      start   n1",
      "     0.000 #2      start   n2",
      "   100.000 #3      timer   n1 (ping)",
      '   100.000 #3      send    n1 → n2 {"type":"ping","round":1}',
      '   112.000 #4      deliver n1 → n2 {"type":"ping","round":1}',
      "   112.000 #4      note    n2 got round 1 from n1",
      "   120.000 #4      crash   n2",
      "   120.000 #5      act     n1 (ping while n2 is down)",
      '   120.000 #5      send    n1 → n2 {"type":"ping","round":2}',
      '   132.000 #6      drop    n1 → n2 {"type":"ping","round":2} (n2 is down)',
      "   140.000 #6      clock   n1 (jump -5ms)",
      "   140.000 #6      fault   (partition [n1] | [n2])",
      "   140.000 #7      act     n1 (ping across the partition)",
      '   140.000 #7      send    n1 → n2 {"type":"ping","round":3}',
      '   140.000 #7      drop    n1 → n2 {"type":"ping","round":3} (partitioned)',
      "   150.000 #8      act     (restart n2)",
      "   150.000 #9      restart n2",
      "   160.000 #9      fault   (heal)",
    ].join("\n");
    expect(tinyRun().traceText(), "the trace text of the tiny run").toBe(expected);
  });

  test("traceDocument is plain JSON and identical across runs of the same seed", () => {
    const first = tinyRun().traceDocument();
    const second = tinyRun().traceDocument();
    expect(JSON.parse(JSON.stringify(first)), "the document after a JSON round trip").toEqual(
      first,
    );
    expect(JSON.stringify(second), "the second run's document").toBe(JSON.stringify(first));
    expect(
      { name: first.name, seed: first.seed, truncated: first.truncated },
      "the document's heading",
    ).toEqual({ name: "tiny", seed: 5, truncated: false });
    expect(first.events[4], "a delivery, as data").toEqual({
      step: 4,
      timeMs: 112,
      kind: "deliver",
      node: "n2",
      from: "n1",
      message: '{"type":"ping","round":1}',
    });
  });

  test("by default a simulation keeps only the most recent events, and says so", () => {
    const simulation = new Simulation<Ping>({ seed: 1, traceKeep: 5 });
    simulation.addNodes(["n1", "n2"], (context) => new PingNode(context));
    for (let round = 0; round < 10; round++)
      simulation.act<PingNode>("n1", `ping ${round}`, (node) => node.ping());
    const events = simulation.trace();
    expect(events.length, "events kept with traceKeep 5").toBe(5);
    expect(events.at(-1)?.message, "the newest event kept").toBe('{"type":"ping","round":10}');
    expect(events[0]!.step, "the events are oldest first").toBeLessThan(events.at(-1)!.step);
    expect(simulation.traceDocument().truncated, "truncated when events were dropped").toBe(true);
  });

  test("TraceRecorder keeps a ring of the newest events, oldest first", () => {
    const recorder = new TraceRecorder(3);
    const event = (step: number): TraceEvent => ({ step, timeMs: step, kind: "note" });
    for (let step = 1; step <= 7; step++) recorder.record(event(step));
    expect(
      recorder.events().map(({ step }) => step),
      "steps kept of 1 to 7",
    ).toEqual([5, 6, 7]);
    const all = new TraceRecorder("all");
    for (let step = 1; step <= 500; step++) all.record(event(step));
    expect(all.events().length, "events kept with all").toBe(500);
    expect(all.truncated, "truncated when keeping all").toBe(false);
  });

  test("the whole trace is capped: past the limit it keeps the most recent events, and counts the rest", () => {
    const all = new TraceRecorder("all");
    const extra = 5;
    for (let step = 1; step <= wholeTraceEventsMax + extra; step++)
      all.add(step, step, "note", "n1", undefined, undefined, undefined, noPayload, undefined);
    expect(all.truncated, "truncated past the limit").toBe(true);
    expect(all.discarded, "the earliest events discarded").toBe(extra);
    const events = all.events();
    expect(events.length, "events kept").toBe(wholeTraceEventsMax);
    expect(events[0]!.step, "the oldest kept").toBe(extra + 1);
    expect(all.last()?.step, "the newest").toBe(wholeTraceEventsMax + extra);
  });

  test("a message's copy is written as JSON text when the trace is read, as it was when sent", () => {
    const recorder = new TraceRecorder(2);
    const copy = { type: "ping", entries: [{ term: 1 }] };
    recorder.add(1, 0, "send", undefined, "n1", "n2", undefined, copy, undefined);
    expect(recorder.last(), "the send, with its message as text").toEqual({
      step: 1,
      timeMs: 0,
      kind: "send",
      from: "n1",
      to: "n2",
      message: '{"type":"ping","entries":[{"term":1}]}',
    });
  });

  test("a trace line pads time, step and kind into columns", () => {
    expect(
      formatTraceEvent({
        step: 1234,
        timeMs: 98_765.4321,
        kind: "timer",
        node: "n12",
        detail: "x",
      }),
      "a timer line with a long time and step",
    ).toBe(" 98765.432 #1234   timer   n12 (x)");
  });
});
