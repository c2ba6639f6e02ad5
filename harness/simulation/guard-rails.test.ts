import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, test } from "vitest";
import { NodeError, NondeterminismError } from "./errors.js";
import { Simulation } from "./simulation.js";
import type { NodeContext } from "./types.js";

/** Everything the guard rails replace, read now, to check each is put back afterwards. */
function realFunctions() {
  return {
    Date: globalThis.Date,
    "Date.now": Date.now,
    "Math.random": Math.random,
    "performance.now": performance.now,
    "process.hrtime": process.hrtime,
    "process.hrtime.bigint": process.hrtime.bigint,
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
    setImmediate: globalThis.setImmediate,
    "crypto.randomUUID": crypto.randomUUID,
    "crypto.getRandomValues": crypto.getRandomValues,
  };
}

/** A reference saved when the module loaded, as `const now = Date.now` at the top of a file. */
const savedNow = Date.now;

/** Starts one node whose onStart runs `body`, and returns what the run threw. */
function startNodeRunning(body: () => unknown): unknown {
  const simulation = new Simulation<never>({ seed: 1 });
  try {
    simulation.addNodes(["n1"], () => ({ onStart: () => void body(), onMessage: () => {} }));
  } catch (error) {
    return error;
  }
  return undefined;
}

/** Each call a node must not make: what it is, a way to make it, and what to use instead. */
const forbidden: Array<[call: string, run: () => unknown, instead: string]> = [
  ["Date.now()", () => Date.now(), "context.now()"],
  ["new Date()", () => new Date(), "new Date(context.now())"],
  ["Date()", () => (Date as unknown as (value: number) => string)(0), "context.now()"],
  ["Math.random()", () => Math.random(), "context.random()"],
  ["performance.now()", () => performance.now(), "context.monotonicNow()"],
  ["process.hrtime()", () => process.hrtime(), "context.monotonicNow()"],
  ["process.hrtime.bigint()", () => process.hrtime.bigint(), "context.monotonicNow()"],
  ["setTimeout()", () => setTimeout(() => {}, 10), "context.setTimer(name, delayMs)"],
  ["setInterval()", () => setInterval(() => {}, 10), "context.setTimer(name, delayMs)"],
  ["setImmediate()", () => setImmediate(() => {}), "context.setTimer(name, 0)"],
  ["crypto.randomUUID()", () => crypto.randomUUID(), "context.random()"],
  ["crypto.getRandomValues()", () => crypto.getRandomValues(new Uint8Array(4)), "context.random()"],
  ["randomUUID()", () => randomUUID(), "context.random()"],
  ["randomBytes()", () => randomBytes(4), "context.random()"],
  ["process.uptime()", () => process.uptime(), "context.monotonicNow()"],
  ["Intl.DateTimeFormat().format()", () => Intl.DateTimeFormat().format(), "format(context.now())"],
  ["Date.now()", () => savedNow(), "context.now()"],
];

describe("Simulation: guard rails against real time and randomness", () => {
  test("a formatted date that is given its time stays allowed", () => {
    const error = startNodeRunning(() => new Intl.DateTimeFormat("en").format(0));
    expect(error, "what formatting a given time threw").toBeUndefined();
  });

  test.for(forbidden)(
    "%s in node code throws NondeterminismError naming the replacement",
    ([call, run, instead]) => {
      const error = startNodeRunning(run);
      expect(error, `what ${call} inside onStart threw`).toBeInstanceOf(NondeterminismError);
      const message = (error as Error).message;
      expect(message, "the message names the call").toContain(`${call} was called`);
      expect(message, "the message says where").toContain(
        "while n1 handled its start at t=0.000ms",
      );
      expect(message, "the message names what to use instead").toContain(instead);
    },
  );

  test("every replaced function is restored after a run that ends normally", () => {
    const before = realFunctions();
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("tick", 10),
      onMessage: () => {},
      onTimer: () => {},
    }));
    simulation.runFor(100);
    expect(realFunctions(), "the global functions after a run").toEqual(before);
    expect(typeof Date.now(), "Date.now() works again in test code").toBe("number");
  });

  test("every replaced function is restored after a run that throws", () => {
    const before = realFunctions();
    for (const [, run] of forbidden) startNodeRunning(run);
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.addNodes(["n1"], (context) => ({
      onStart: () => context.setTimer("boom", 10),
      onMessage: () => {},
      onTimer: () => {
        throw new Error("boom");
      },
    }));
    expect(() => simulation.runFor(100), "the run whose node throws").toThrow(NodeError);
    expect(realFunctions(), "the global functions after runs that threw").toEqual(before);
    expect(new Date(0).getTime(), "new Date(0) in test code").toBe(0);
    expect(Math.random(), "Math.random() in test code").toBeLessThan(1);
  });

  test("pure uses of Date stay allowed in node code", () => {
    const results: unknown[] = [];
    const error = startNodeRunning(() => {
      const date = new Date(86_400_000);
      results.push(
        date.toISOString(),
        date instanceof Date,
        Date.UTC(1970, 0, 2),
        Date.parse("1970-01-02T00:00:00Z"),
      );
    });
    expect(error, "what pure Date calls threw").toBeUndefined();
    expect(results, "what they returned").toEqual([
      "1970-01-02T00:00:00.000Z",
      true,
      86_400_000,
      86_400_000,
    ]);
  });

  test("the guard rails also cover invariants and scheduled actions, naming them", () => {
    const simulation = new Simulation<never>({ seed: 1 });
    simulation.at(5, "read the clock", () => Date.now());
    expect(() => simulation.runFor(10), "Date.now() in a scheduled action").toThrow(
      /Date\.now\(\) was called in the test's scheduled action "read the clock"/,
    );
    const checked = new Simulation<never>({ seed: 1 });
    checked.addInvariant("random check", () => void Math.random());
    checked.at(1, "anything", () => {});
    expect(() => checked.runFor(10), "Math.random() in an invariant").toThrow(
      /Math\.random\(\) was called in the invariant "random check"/,
    );
  });

  test("a handler that returns a Promise is an error, for every kind of handler", () => {
    type Kind = "onStart" | "onMessage" | "onTimer" | "act";
    const run = (kind: Kind) => {
      const simulation = new Simulation<{ ping: true }>({ seed: 1 });
      const asyncly = async () => {};
      simulation.addNodes(["n1", "n2"], (context: NodeContext<{ ping: true }>) => ({
        onStart: () => {
          if (context.id !== "n1") return;
          if (kind === "onStart") return asyncly() as unknown as void;
          context.send("n2", { ping: true });
          context.setTimer("tick", 5);
        },
        onMessage: () => (kind === "onMessage" ? (asyncly() as unknown as void) : undefined),
        onTimer: () => (kind === "onTimer" ? (asyncly() as unknown as void) : undefined),
      }));
      if (kind === "act") simulation.act("n1", "async request", asyncly);
      simulation.runFor(20);
    };
    for (const kind of ["onStart", "onMessage", "onTimer", "act"] as const) {
      expect(() => run(kind), `an async ${kind}`).toThrow(/The handler returned a Promise/);
    }
  });
});
