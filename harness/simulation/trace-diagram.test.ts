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

  test("a long run stops after the events asked for, and says so", () => {
    const simulation = pingPong();
    simulation.runFor(20);
    const diagram = traceToMermaid(simulation.trace(), { eventsMax: 1 });
    expect(
      diagram.split("\n").filter((line) => line.includes("->>")),
      "arrows drawn",
    ).toHaveLength(1);
    expect(diagram, "the closing note").toMatch(/the diagram stops here, \d+ events in all$/);
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
