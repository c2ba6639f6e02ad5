import { describe, expect, test } from "vitest";
import { NodeError, SimulationError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";

type Note = { text: string };

/** A node with a bug: it throws on the message, timer or request that tells it to. */
class FaultyNode implements SimulatedNode<Note> {
  readonly context: NodeContext<Note>;

  constructor(context: NodeContext<Note>) {
    this.context = context;
  }

  onStart(): void {
    this.context.setTimer("tick", 25);
  }

  onMessage(_from: NodeId, message: Note): void {
    if (message.text === "throw") throw new TypeError("cannot read the log");
    if (message.text === "throw a string") throw "a bare string";
  }

  onTimer(): void {
    this.context.send(this.context.peers[0]!, { text: "hello" });
    this.context.setTimer("tick", 25);
  }
}

function faulty() {
  const simulation = new Simulation<Note>({
    seed: 42,
    name: "faulty",
    network: { latencyMs: { min: 3, max: 3 } },
  });
  simulation.addNodes(["n1", "n2"], (context) => new FaultyNode(context));
  return simulation;
}

function runCatching(run: () => void): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return expect.fail("the run should have stopped with the node's error");
}

describe("Simulation: errors", () => {
  test("an error in a handler becomes a NodeError naming the node, the event and the time", () => {
    const simulation = faulty();
    simulation.runFor(100);
    simulation.act<FaultyNode>("n2", "send poison", (node) =>
      node.context.send("n1", { text: "throw" }),
    );
    const error = runCatching(() => simulation.runFor(100));
    expect(error, "the error's class").toBeInstanceOf(NodeError);
    expect(error, "a NodeError is a SimulationError").toBeInstanceOf(SimulationError);
    expect(error.message, "the first line of the message").toMatch(
      /^n1 threw while handling a message from n2 at t=103\.000ms: TypeError: cannot read the log/,
    );
  });

  test("a NodeError keeps the original error as its cause, and its stack", () => {
    const simulation = faulty();
    simulation.act<FaultyNode>("n2", "send poison", (node) =>
      node.context.send("n1", { text: "throw" }),
    );
    const error = runCatching(() => simulation.runFor(100));
    expect(error.cause, "the cause").toBeInstanceOf(TypeError);
    expect((error.cause as Error).message, "the cause's own message").toBe("cannot read the log");
    expect(error.stack, "the stack points into the node's code").toContain("onMessage");
  });

  test("errors from a start, a timer and a request name that event", () => {
    const starting = new Simulation<Note>({ seed: 1 });
    const atStart = runCatching(() =>
      starting.addNodes(["n1"], () => {
        throw new RangeError("bad configuration");
      }),
    );
    expect(atStart.message, "an error in the factory").toMatch(
      /^n1 threw while handling its start at t=0\.000ms: RangeError: bad configuration/,
    );

    const timing = new Simulation<Note>({ seed: 1 });
    timing.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("election", 150),
      onMessage: () => {},
      onTimer: () => {
        throw new Error("no votes");
      },
    }));
    expect(runCatching(() => timing.runFor(200)).message, "an error in onTimer").toMatch(
      /^n1 threw while handling its timer "election" at t=150\.000ms: Error: no votes/,
    );

    const acting = faulty();
    const inAct = runCatching(() =>
      acting.act("n2", "client put", () => {
        throw new Error("not the leader");
      }),
    );
    expect(inAct.message, "an error in act").toMatch(
      /^n2 threw while handling client put at t=0\.000ms: Error: not the leader/,
    );
  });

  test("a thrown non-Error value is wrapped too", () => {
    const simulation = faulty();
    simulation.act<FaultyNode>("n2", "send", (node) =>
      node.context.send("n1", { text: "throw a string" }),
    );
    const error = runCatching(() => simulation.runFor(10));
    expect(error, "the error's class").toBeInstanceOf(NodeError);
    expect(error.message, "the message shows the value thrown").toContain("Error: a bare string");
  });

  test("an error leaving a run carries the seed and the last 25 events of the trace", () => {
    const simulation = faulty();
    simulation.runFor(500);
    simulation.act<FaultyNode>("n2", "send poison", (node) =>
      node.context.send("n1", { text: "throw" }),
    );
    const error = runCatching(() => simulation.runFor(100));
    expect(error.message, "the seed and where the run stopped").toContain(
      'Simulation "faulty", seed 42, stopped at t=503.000ms after',
    );
    const recent = error.message.split("The last 25:\n")[1];
    expect(recent, "the recent trace after its heading").toBeDefined();
    const lines = recent!.split("\n");
    expect(lines.length, "lines of recent trace").toBe(25);
    expect(lines.at(-1), "the last line is the delivery that failed").toMatch(
      /503\.000 #\d+\s+deliver n2 → n1 \{"text":"throw"\}/,
    );
  });

  test("the seed and trace are added once, however deep the error started", () => {
    const simulation = faulty();
    simulation.at(10, "fail inside an action", () =>
      simulation.act("n1", "nested", () => {
        throw new Error("deep");
      }),
    );
    const error = runCatching(() => simulation.runFor(100));
    expect(error.message.split("seed 42").length - 1, "times the seed appears").toBe(1);
  });
});
