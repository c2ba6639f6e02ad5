import { describe, expect, test } from "vitest";
import type { TraceEvent } from "../simulation/trace.js";
import { sampleRun } from "./sample-runs.js";
import {
  buildViewModel,
  matchMessages,
  parseFault,
  placeFailure,
  replayPartitions,
} from "./view-model.js";

/** A trace event with only what a test cares about; the step follows the position. */
function events(...partial: Array<Omit<TraceEvent, "step">>): TraceEvent[] {
  return partial.map((event, index) => ({ step: index + 1, ...event }));
}

describe("the viewer's reading of a trace", () => {
  test("each delivery and drop is paired with its send; a second delivery of one send is a duplicate", () => {
    const trace = events(
      { timeMs: 0, kind: "send", from: "a", to: "b", message: '{"type":"ping"}' },
      { timeMs: 1, kind: "send", from: "a", to: "b", message: '{"type":"ping"}' },
      { timeMs: 1, kind: "send", from: "b", to: "a", message: '{"type":"pong"}' },
      { timeMs: 1, kind: "drop", from: "b", to: "a", message: '{"type":"pong"}', detail: "lost" },
      { timeMs: 5, kind: "deliver", from: "a", node: "b", message: '{"type":"ping"}' },
      { timeMs: 6, kind: "deliver", from: "a", node: "b", message: '{"type":"ping"}' },
      { timeMs: 7, kind: "deliver", from: "a", node: "b", message: '{"type":"ping"}' },
      { timeMs: 8, kind: "send", from: "a", to: "c", message: "{}" },
    );
    const messages = matchMessages(trace, 10);
    expect(
      messages.map((message) => [
        message.sentMs,
        message.endedMs,
        message.outcome,
        message.duplicate,
        message.type,
      ]),
    ).toEqual([
      [0, 5, "delivered", false, "ping"],
      [1, 6, "delivered", false, "ping"],
      [1, 1, "lost", false, "pong"],
      [1, 7, "delivered", true, "ping"],
      [8, 10, "in flight", false, "message"],
    ]);
  });

  test("a message dropped on arrival says why: the receiver was down, or the link was cut meanwhile", () => {
    const trace = events(
      { timeMs: 0, kind: "send", from: "a", to: "b", message: "1" },
      { timeMs: 0, kind: "send", from: "a", to: "c", message: "1" },
      { timeMs: 4, kind: "drop", from: "a", to: "b", message: "1", detail: "b is down" },
      { timeMs: 4, kind: "drop", from: "a", to: "c", message: "1", detail: "partitioned" },
    );
    expect(matchMessages(trace, 10).map((message) => [message.outcome, message.endedMs])).toEqual([
      ["receiver down", 4],
      ["partitioned", 4],
    ]);
  });

  test("fault texts are read as the simulator writes them", () => {
    expect(parseFault("partition [n1 n2] | [n3]")).toEqual({
      kind: "partition",
      sides: [["n1", "n2"], ["n3"]],
    });
    expect(parseFault("isolate n4")).toEqual({ kind: "isolate", node: "n4" });
    expect(parseFault("cut n1 → n2")).toEqual({ kind: "cut", from: "n1", to: "n2" });
    expect(parseFault("repair n1 → n2")).toEqual({ kind: "repair", from: "n1", to: "n2" });
    expect(parseFault("heal")).toEqual({ kind: "heal" });
    expect(
      parseFault('network {"lossRate":0.1}'),
      "link settings do not block links",
    ).toBeUndefined();
  });

  test("a partition holds until the next partition or heal; an isolation and a cut hold on top of it", () => {
    const nodes = ["a", "b", "c"];
    const trace = events(
      { timeMs: 10, kind: "fault", detail: "partition [a] | [b c]" },
      { timeMs: 20, kind: "fault", detail: "partition [a b] | [c]" },
      { timeMs: 30, kind: "fault", detail: "cut a → b" },
      { timeMs: 40, kind: "fault", detail: "repair a → b" },
      { timeMs: 50, kind: "fault", detail: "heal" },
      { timeMs: 60, kind: "fault", detail: "isolate c" },
    );
    const partitions = replayPartitions(trace, nodes, 100);
    expect(
      partitions.map((partition) => [
        partition.fromMs,
        partition.toMs,
        partition.blocked.map(([from, to]) => `${from}${to}`).join(" "),
      ]),
    ).toEqual([
      [10, 20, "ab ac ba ca"],
      [20, 30, "ac bc ca cb"],
      [30, 40, "ab ac bc ca cb"],
      [40, 50, "ac bc ca cb"],
      [60, 100, "ac bc ca cb"],
    ]);
    expect(partitions[2]!.description).toBe("partition [a b] | [c]; cut a → b");
  });

  test("a crashed node is down until its restart, or to the end of the run", () => {
    const model = buildViewModel({
      title: "t",
      seed: 1,
      test: "t",
      runs: [
        {
          name: "r",
          seed: 1,
          truncated: false,
          events: events(
            { timeMs: 0, kind: "start", node: "a" },
            { timeMs: 0, kind: "start", node: "b" },
            { timeMs: 5, kind: "crash", node: "a" },
            { timeMs: 9, kind: "restart", node: "a" },
            { timeMs: 12, kind: "crash", node: "b" },
            { timeMs: 20, kind: "timer", node: "a", detail: "tick" },
          ),
        },
      ],
    });
    expect(model.runs[0]!.downtimes).toEqual([
      { node: "a", fromMs: 5, toMs: 9 },
      { node: "b", fromMs: 12, toMs: 20 },
    ]);
  });

  test("a failure inside a run is placed at the last event its message quotes; one after the run, at the end", () => {
    const run = sampleRun({ failing: true });
    const model = buildViewModel({
      title: "t",
      seed: 7,
      test: "t",
      runs: [run.document],
      failure: run.failure!,
    });
    const view = model.runs[0]!;
    expect(model.passed).toBe(false);
    expect(view.failure?.event, "the event the invariant broke at").toBe(view.events.length - 1);
    const after = placeFailure(view, "expected 3 leaders, got 2");
    expect(after).toEqual({ message: "expected 3 leaders, got 2", timeMs: view.endMs });
  });
});
