import { describe, expect, test } from "vitest";
import { NodeError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext, NodeId, SimulatedNode } from "./types.js";
import {
  clonePlainData,
  copyPlainData,
  decodePlainData,
  encodePlainData,
  NotPlainDataError,
} from "./wire.js";

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

describe("Simulation: a message's copy is what JSON would carry", () => {
  const carried = (value: unknown): unknown => clonePlainData(copyPlainData(value, "the message"));
  const viaJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  const shared = { term: 3 };
  const values: Array<[what: string, value: unknown]> = [
    ["a flat message", { type: "ping", round: 3, from: "n1", ok: true, none: null }],
    ["nested arrays and objects", { log: [{ term: 1, command: { op: "put", key: "x" } }], e: [] }],
    ["shared parts", { first: shared, second: shared }],
    ["an undefined field", { kept: 1, dropped: undefined, nested: { gone: undefined } }],
    ["minus zero", { zero: -0, list: [-0], nested: { zero: -0 } }],
    ["a null-prototype object", Object.assign(Object.create(null) as object, { a: { b: 1 } })],
    ["a __proto__ field", JSON.parse('{"__proto__": {"polluted": true}, "x": 1}')],
    ["integer-like keys", { b: 1, 10: "ten", 2: "two", a: [3] }],
    ["a string", "just text"],
    ["a number", 42.5],
    ["null", null],
    ["an array", [1, "two", [3], { four: 4 }]],
    ["unicode", { text: "é ✓ \u2028 \ud83d\ude00" }],
  ];

  test.for(values)("%s arrives as JSON.parse(JSON.stringify(it))", ([, value]) => {
    const copy = carried(value);
    expect(copy, "the copy, field for field").toStrictEqual(viaJson(value));
    expect(JSON.stringify(copy), "the copy as text, fields in the same order").toBe(
      JSON.stringify(value),
    );
    expect(Object.keys(copy ?? {}), "the fields, in order").toEqual(
      Object.keys(viaJson(value) ?? {}),
    );
    if (typeof value === "object" && value !== null)
      expect(copy, "a copy, not the value itself").not.toBe(value);
  });

  test("minus zero arrives as zero, and a __proto__ field stays a field", () => {
    const copy = carried({ zero: -0, ...JSON.parse('{"__proto__": {"polluted": true}}') }) as {
      zero: number;
      polluted?: boolean;
    };
    expect(Object.is(copy.zero, 0), "-0 is written as 0 by JSON").toBe(true);
    expect(copy.polluted, "the prototype is not replaced").toBeUndefined();
    expect(Object.getPrototypeOf(copy), "an ordinary object").toBe(Object.prototype);
  });

  test("each receiver's copy is its own, down to nested parts", () => {
    const sent = copyPlainData({ log: [{ term: 1 }], meta: { ok: true } }, "the message");
    const first = clonePlainData(sent);
    const second = clonePlainData(sent);
    first.log[0]!.term = 99;
    first.meta.ok = false;
    expect(second, "a second receiver's copy is untouched").toEqual({
      log: [{ term: 1 }],
      meta: { ok: true },
    });
    expect(sent, "the sent copy is untouched").toEqual({ log: [{ term: 1 }], meta: { ok: true } });
  });

  test("a flat message (nothing nested) is still each receiver's own, object or array", () => {
    for (const message of [{ text: "hello", count: 1 }, ["hello", 1, true]]) {
      const arrivedAs: string[] = [];
      const simulation = new Simulation<unknown>({
        seed: 1,
        network: { latencyMs: { min: 5, max: 5 }, duplicateRate: 1 },
      });
      simulation.addNodes(["n1", "n2", "n3"], (context) => ({
        onStart: () => {
          if (context.id === "n1") context.broadcast(message);
        },
        onMessage: (_from: NodeId, arrived: unknown) => {
          arrivedAs.push(JSON.stringify(arrived));
          // Careless code scribbles on what it got.
          if (Array.isArray(arrived)) arrived[0] = "scribbled";
          else (arrived as { text: string }).text = "scribbled";
        },
      }));
      simulation.runFor(10);
      const sent = JSON.stringify(message);
      expect(arrivedAs, `${sent}: every copy arrives as sent`).toEqual([sent, sent, sent, sent]);
      const traced = simulation
        .trace()
        .filter((event) => event.kind === "deliver")
        .map((event) => event.message);
      expect(traced, `${sent}: the trace's record of the deliveries`).toEqual([
        sent,
        sent,
        sent,
        sent,
      ]);
    }
  });

  test("a getter that sends while its message is copied leaves the message's copies apart", () => {
    const arrived: string[] = [];
    const simulation = new Simulation<unknown>({
      seed: 1,
      network: { latencyMs: { min: 5, max: 5 } },
    });
    simulation.addNodes(["n1", "n2", "n3"], (context) => ({
      onStart: () => {
        if (context.id !== "n1") return;
        const message = {
          log: [{ term: 1 }],
          // Runs while the broadcast copies the message, after its log was copied.
          meta: {
            get sent() {
              context.send("n2", "flat");
              return true;
            },
          },
        };
        context.broadcast(message);
      },
      onMessage: (_from: NodeId, message: unknown) => {
        if (typeof message !== "object") return;
        arrived.push(JSON.stringify(message));
        (message as { log: Array<{ term: number }> }).log[0]!.term = 99;
      },
    }));
    simulation.runFor(10);
    const sent = '{"log":[{"term":1}],"meta":{"sent":true}}';
    expect(arrived, "both receivers' copies, the first scribbled on by n2").toEqual([sent, sent]);
  });

  test.for(notPlain)("%s is refused by the copy exactly as by the encoder", ([, value]) => {
    const failure = (run: () => unknown): string => {
      try {
        run();
      } catch (error) {
        return (error as Error).message;
      }
      return "no error";
    };
    expect(
      failure(() => copyPlainData(value, "the message")),
      "the copy's error",
    ).toBe(failure(() => encodePlainData(value, "the message")));
  });
});
