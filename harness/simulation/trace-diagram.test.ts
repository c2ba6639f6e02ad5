import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import { traceToMermaid } from "./trace-diagram.js";
import type { NodeContext } from "./types.js";

type Ping = { type: "ping" } | { type: "pong" };

function pingPong(): Simulation<Ping> {
  const simulation = new Simulation<Ping>({
    seed: 1,
    traceKeep: "all",
    network: { latencyMs: { min: 5, max: 5 } },
  });
  simulation.addNodes(["a", "b"], (context: NodeContext<Ping>) => ({
    onStart: () => {
      if (context.id === "a") context.send("b", { type: "ping" });
    },
    onMessage: (from: string, message: Ping) => {
      context.note(`got ${message.type}; answering`);
      if (message.type === "ping") context.send(from, { type: "pong" });
    },
  }));
  return simulation;
}

/** The statements after the participants. */
function body(diagram: string): string[] {
  return diagram
    .split("\n")
    .filter((line) => line.startsWith("  ") && !line.includes("participant"));
}

/** Three nodes chattering through a lossy, duplicating network, with a partition mid-run. */
function chattyRun(): Simulation<Ping> {
  const simulation = new Simulation<Ping>({
    seed: 4,
    traceKeep: "all",
    network: { latencyMs: { min: 1, max: 6 }, lossRate: 0.2, duplicateRate: 0.2 },
  });
  simulation.addNodes(["a", "b", "c"], (context: NodeContext<Ping>) => ({
    onStart: () => context.setTimer("tick", context.randomInt(1, 4)),
    onTimer: () => {
      context.broadcast({ type: "ping" });
      context.setTimer("tick", context.randomInt(1, 4));
    },
    onMessage: (from: string, message: Ping) => {
      if (message.type === "ping") context.send(from, { type: "pong" });
    },
  }));
  simulation.at(15, "partition", () => simulation.partition(["a"], ["b", "c"]));
  simulation.at(25, "heal", () => simulation.heal());
  simulation.runFor(40);
  return simulation;
}

describe("a trace drawn as a sequence diagram", () => {
  test("each delivery is an arrow labelled with the message type and its send and arrival times", () => {
    const simulation = pingPong();
    simulation.runFor(20);
    expect(traceToMermaid(simulation.trace()), "the diagram of a ping and its pong").toBe(
      [
        "sequenceDiagram",
        "  participant a",
        "  participant b",
        "  a->>b: ping · 0→5ms",
        "  Note over b: got ping#59; answering · 5ms",
        "  b->>a: pong · 5→10ms",
        "  Note over a: got pong#59; answering · 10ms",
      ].join("\n"),
    );
  });

  test("lost messages are crossed arrows, and crashes and restarts are notes", () => {
    const simulation = pingPong();
    simulation.crash("b");
    simulation.runFor(20);
    simulation.restart("b");
    simulation.cut("a", "b");
    simulation.act<{ onStart(): void }>("a", "ping again", (node) => node.onStart());
    const diagram = traceToMermaid(simulation.trace());
    expect(diagram, "a message that reached a crashed node").toContain(
      "a-xb: ping b is down · 5ms",
    );
    expect(diagram, "the crash").toContain("Note over b: crash · 0ms");
    expect(diagram, "the restart").toContain("Note over b: restart · 20ms");
    expect(diagram, "a message sent over a cut link").toContain("a-xb: ping partitioned · 20ms");
  });

  test("a long run stops after the events asked for, and the note says where the rest starts", () => {
    const simulation = pingPong();
    simulation.runFor(20);
    const diagram = traceToMermaid(simulation.trace(), { eventsMax: 1 });
    expect(
      diagram.split("\n").filter((line) => line.includes("->>")),
      "arrows drawn",
    ).toHaveLength(1);
    // The ping's arrival and the note it caused share an instant: a window ends between instants.
    expect(diagram.split("\n").at(-1), "the closing note").toBe(
      "  Note over a,b: drew 2 of 4 events, up to 10 ms#59; --from 10 for the rest",
    );
  });

  test("windows drawn one after another with --from, as each cut-off note says, draw every event once", () => {
    const simulation = chattyRun();
    const events = simulation.trace();
    const whole = body(traceToMermaid(events, { eventsMax: 100_000 }));
    const pieces: string[] = [];
    let fromMs = 0;
    for (let window = 0; window < 100; window++) {
      const diagram = traceToMermaid(events, { eventsMax: 7, fromMs });
      const note = /--from ([\d.]+) for the rest$/.exec(diagram);
      pieces.push(...body(diagram).filter((line) => !line.includes("for the rest")));
      if (note === null) break;
      expect(Number(note[1]), "each window starts later than the one before").toBeGreaterThan(
        fromMs,
      );
      fromMs = Number(note[1]);
    }
    expect(whole.length, "the run draws many events").toBeGreaterThan(40);
    expect(pieces, "the windows, one after another, are the whole diagram").toEqual(whole);
  });

  test("--from and --to draw only the events in between, and an arrow into the window keeps its send time", () => {
    const simulation = pingPong();
    simulation.runFor(20);
    const diagram = traceToMermaid(simulation.trace(), { fromMs: 7, toMs: 10 });
    expect(body(diagram), "only the pong's arrival and the note at 10ms").toEqual([
      "  b->>a: pong · 5→10ms",
      "  Note over a: got pong#59; answering · 10ms",
    ]);
    expect(diagram, "both lifelines are kept").toContain("participant a\n  participant b");
    expect(
      body(traceToMermaid(simulation.trace(), { fromMs: 11 })),
      "a window with nothing in it says so",
    ).toEqual(["  Note over a,b: nothing happened from 11 to the end"]);
  });

  test("network faults are notes over the nodes they touch", () => {
    const simulation = new Simulation<Ping>({ seed: 1, traceKeep: "all" });
    simulation.addNodes(["a", "b", "c", "d"], () => ({ onMessage: () => {} }));
    simulation.runFor(1);
    simulation.partition(["b", "c"], ["d"]);
    simulation.isolate("c");
    simulation.cut("d", "b");
    simulation.repair("d", "b");
    simulation.setLink("a", "b", { lossRate: 0.5, latencyMs: { min: 5, max: 9 } });
    simulation.clearLink("a", "b");
    simulation.setNetwork({ lossRate: 0.2 });
    simulation.heal();
    simulation.pause("b");
    simulation.runFor(1);
    simulation.resume("b");
    simulation.jumpClock("d", -30);
    const notes = body(traceToMermaid(simulation.trace())).filter(
      (line) => !line.includes("start"),
    );
    expect(notes, "every fault, over the nodes it names, or over all of them").toEqual([
      "  Note over b,d: partition [b c] | [d] · 1ms",
      "  Note over c: isolate c · 1ms",
      "  Note over b,d: cut d → b · 1ms",
      "  Note over b,d: repair d → b · 1ms",
      "  Note over a,b: link a → b lossRate 0.5, latencyMs 5–9 · 1ms",
      "  Note over a,b: link a → b default · 1ms",
      "  Note over a,d: network lossRate 0.2 · 1ms",
      "  Note over a,d: heal · 1ms",
      "  Note over b: pause · 1ms",
      "  Note over b: resume, 0 messages and 0 timers waited · 2ms",
      "  Note over d: clock jump -30ms · 2ms",
    ]);
  });

  test("no line is cut short: every ';' is part of an entity code, since mermaid ends a statement at ';'", () => {
    const simulation = pingPong();
    simulation.runFor(20);
    for (const eventsMax of [1, 120]) {
      const diagram = traceToMermaid(simulation.trace(), { eventsMax });
      expect(
        diagram.match(/(?<!#\d{1,3});/g),
        `raw semicolons with eventsMax ${eventsMax}`,
      ).toBeNull();
    }
  });
});
