import { describe, expect, test } from "vitest";
import { NodeError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";
import { decodePlainData, encodePlainData, NotPlainDataError } from "./wire.js";

type Letter = { text: string; tags: string[] };

/** Keeps every message it receives, exactly as handed to it. */
class MailboxNode implements SimulatedNode<Letter> {
  readonly context: NodeContext<Letter>;
  readonly received: Letter[] = [];
  /** Each message as it was when it arrived, before the node could scribble on it. */
  readonly arrivedAs: string[] = [];
  /** When set, the node scribbles on each message it receives, as careless code might. */
  scribble = false;

  constructor(context: NodeContext<Letter>) {
    this.context = context;
  }

  onMessage(_from: NodeId, message: Letter): void {
    this.arrivedAs.push(JSON.stringify(message));
    if (this.scribble) {
      message.text = "scribbled";
      message.tags.push("scribbled");
    }
    this.received.push(message);
  }
}

function mailboxes(duplicateRate = 0) {
  const simulation = new Simulation<Letter>({
    seed: 1,
    network: { latencyMs: { min: 5, max: 5 }, duplicateRate },
  });
  const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new MailboxNode(context));
  return { simulation, nodes };
}

/** Sends `value` from a node and returns what the run threw. */
function sendingThrows(value: unknown): Error {
  const simulation = new Simulation<unknown>({ seed: 1 });
  try {
    simulation.addNodes(["n1", "n2"], (context) => ({
      onStart: () => {
        if (context.id === "n1") context.send("n2", value);
      },
      onMessage: () => {},
    }));
  } catch (error) {
    return error as Error;
  }
  return expect.fail("sending the value should have thrown");
}

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const cyclic: { name: string; child: { parent?: unknown } } = { name: "root", child: {} };
cyclic.child.parent = cyclic;

/** Values that cannot cross the wire, and the path the error must name. */
const notPlain: Array<[what: string, value: unknown, path: string]> = [
  ["a Map", { peers: new Map([["n1", 1]]) }, "the message.peers is a Map"],
  ["a Set", { seen: new Set([1]) }, "the message.seen is a Set"],
  ["a Date", { at: new Date(0) }, "the message.at is a Date"],
  ["a class instance", { where: new Point(1, 2) }, "the message.where is a Point"],
  ["a function", { callback: () => 1 }, "the message.callback is a function"],
  ["NaN", { score: NaN }, "the message.score is NaN"],
  ["Infinity", { log: [{ term: -Infinity }] }, "the message.log[0].term is -Infinity"],
  ["a bigint", { id: 10n }, "the message.id is a bigint"],
  ["undefined in an array", { entries: [1, undefined] }, "the message.entries[1] is undefined"],
  ["a cycle", cyclic, "the message.child.parent refers back to an object that contains it"],
  ["undefined itself", undefined, "the message is undefined"],
];

describe("Simulation: messages and storage are plain data, copied", () => {
  test("a sender that changes an object after sending it does not change what arrives", () => {
    const { simulation, nodes } = mailboxes();
    simulation.act<MailboxNode>("n1", "send then edit", (node) => {
      const letter = { text: "hello", tags: ["a"] };
      node.context.send("n2", letter);
      letter.text = "edited";
      letter.tags.push("b");
    });
    simulation.runFor(10);
    expect(nodes.node("n2")!.received, "what n2 received").toEqual([
      { text: "hello", tags: ["a"] },
    ]);
  });

  test("each receiver of a broadcast gets its own copy", () => {
    const { simulation, nodes } = mailboxes();
    nodes.node("n2")!.scribble = true;
    simulation.act<MailboxNode>("n1", "broadcast", (node) =>
      node.context.broadcast({ text: "hello", tags: [] }),
    );
    simulation.runFor(10);
    expect(nodes.node("n3")!.received, "what n3 received after n2 scribbled on its copy").toEqual([
      { text: "hello", tags: [] },
    ]);
  });

  test("a receiver that changes its message changes neither a duplicate's delivery nor the trace", () => {
    const { simulation, nodes } = mailboxes(1);
    nodes.node("n2")!.scribble = true;
    simulation.act<MailboxNode>("n1", "send", (node) =>
      node.context.send("n2", { text: "hello", tags: [] }),
    );
    simulation.runFor(10);
    const { received, arrivedAs } = nodes.node("n2")!;
    expect(received.length, "deliveries at duplicateRate 1").toBe(2);
    expect(received[0], "the first copy, scribbled on by its receiver").toEqual({
      text: "scribbled",
      tags: ["scribbled"],
    });
    expect(
      arrivedAs,
      "both copies as they arrived, the second after the first was changed",
    ).toEqual(['{"text":"hello","tags":[]}', '{"text":"hello","tags":[]}']);
    const pristine = simulation
      .trace()
      .filter((event) => event.kind === "deliver")
      .map((event) => event.message);
    expect(pristine, "the trace's record of both deliveries").toEqual([
      '{"text":"hello","tags":[]}',
      '{"text":"hello","tags":[]}',
    ]);
  });

  test.for(notPlain)("sending %s is a NotPlainDataError naming the path", ([, value, path]) => {
    const error = sendingThrows(value);
    expect(error, "the error from the node's send").toBeInstanceOf(NodeError);
    expect(error.cause, "the original error, as the cause").toBeInstanceOf(NotPlainDataError);
    expect(error.message, "the message names the path").toContain(path);
    expect(error.message, "the message says what plain data is").toContain(
      "Only plain data can cross the network",
    );
  });

  test("plain data of every kind crosses the wire unchanged, shared parts included", () => {
    const shared = { term: 3 };
    const value = {
      text: "é ✓",
      count: -0.5,
      flags: [true, false, null],
      nested: { deeper: [[1], [2, 3]], empty: {} },
      first: shared,
      second: shared,
      bare: Object.assign(Object.create(null) as object, { a: 1 }),
    };
    expect(decodePlainData(encodePlainData(value, "the message")), "a round trip").toEqual(
      JSON.parse(JSON.stringify(value)),
    );
    expect(
      decodePlainData(encodePlainData({ kept: 1, dropped: undefined }, "the message")),
      "an undefined field is left out, as JSON does",
    ).toEqual({ kept: 1 });
  });

  test("storage values must be plain data too, and the error names the key", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    let error: Error | undefined;
    try {
      simulation.addNodes(["n1"], (context) => ({
        onStart: () => context.storage.set("log", { entries: new Set([1]) }),
        onMessage: () => {},
      }));
    } catch (caught) {
      error = caught as Error;
    }
    expect(error?.cause, "the original error").toBeInstanceOf(NotPlainDataError);
    expect(error?.message, "the message names the key and path").toContain(
      'the value stored under "log".entries is a Set',
    );
  });

  test("storage copies values in and out", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    let context: NodeContext<never> | undefined;
    simulation.addNodes(["n1"], (created) => {
      context = created;
      return { onMessage: () => {} };
    });
    const log = [{ term: 1 }];
    context!.storage.set("log", log);
    log.push({ term: 2 });
    const read = context!.storage.get<Array<{ term: number }>>("log")!;
    read[0]!.term = 99;
    expect(context!.storage.get("log"), "the stored log after both copies were changed").toEqual([
      { term: 1 },
    ]);
    context!.storage.delete("log");
    expect(context!.storage.get("log"), "a deleted key").toBeUndefined();
    expect(context!.storage.keys(), "keys after the delete").toEqual([]);
  });

  test("sending to a node that does not exist names the node and the ones that do", () => {
    const { simulation } = mailboxes();
    expect(
      () =>
        simulation.act<MailboxNode>("n1", "misaddress", (node) =>
          node.context.send("n9", { text: "", tags: [] }),
        ),
      "a send to n9",
    ).toThrow(/n1 sent a message to "n9", but there is no such node; the nodes are n1, n2, n3/);
  });
});
