import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeGroup } from "../../harness/testing.js";
import { CausalBroadcastNode, type CausalMessage, type Delivery } from "./causal-broadcast.js";

// Exercise 1.3 — Causal broadcast. Run: npm run workbook -- test 1.3

/** The payloads a node delivered, as text for failure messages. */
function listed(deliveries: readonly Delivery[]): string {
  return deliveries.length === 0 ? "nothing" : deliveries.map((d) => d.payload).join(", ");
}

describe("1.3 Causal broadcast: small stories", () => {
  test("a node delivers its own broadcast at once", () => {
    const simulation = new Simulation<CausalMessage>({ seed: 1, name: "own broadcast" });
    const nodes = simulation.addNodes(["n1", "n2"], (context) => new CausalBroadcastNode(context));
    simulation.act<CausalBroadcastNode>("n1", "broadcast hello", (node) => node.broadcast("hello"));
    expect(
      nodes.node("n1")!.delivered,
      "what n1 has delivered right after broadcasting hello, before any message moved",
    ).toEqual([{ from: "n1", payload: "hello" }]);
  });

  test("a message that arrives before its cause waits for it", () => {
    // n1 asks, n2 answers after delivering the question. The question is slow to reach n3 and
    // the answer fast, so n3 hears the answer first and must hold it back.
    const simulation = new Simulation<CausalMessage>({
      seed: 1,
      name: "answer before question",
      network: { latencyMs: { min: 5, max: 5 } },
    });
    const nodes = simulation.addNodes(
      ["n1", "n2", "n3"],
      (context) => new CausalBroadcastNode(context),
    );
    simulation.setLink("n1", "n3", { latencyMs: { min: 100, max: 100 } });
    const n3 = (): CausalBroadcastNode => nodes.node("n3")!;
    simulation.act<CausalBroadcastNode>("n1", "broadcast question", (node) =>
      node.broadcast("question"),
    );
    const asked = simulation.runUntil(() => nodes.node("n2")!.delivered.length === 1, {
      withinMs: 50,
    });
    expect(asked, "n2 should deliver n1's question within 50ms").toBe(true);
    simulation.act<CausalBroadcastNode>("n2", "broadcast answer", (node) =>
      node.broadcast("answer"),
    );
    simulation.runFor(40);
    expect(
      listed(n3().delivered),
      "what n3 has delivered once the answer has arrived but the question has not: the answer depends on the question, so it must wait",
    ).toBe("nothing");
    expect(n3().heldBackCount, "messages n3 holds back while the question is missing").toBe(1);
    simulation.runUntilQuiet({ withinMs: 1_000 });
    expect(
      listed(n3().delivered),
      "what n3 has delivered once the question arrived: the question, then the answer that waited for it",
    ).toBe("question, answer");
  });

  test("a duplicated message is delivered once and never left waiting", () => {
    const simulation = new Simulation<CausalMessage>({
      seed: 1,
      name: "every message twice",
      network: { latencyMs: { min: 1, max: 30 }, duplicateRate: 1 },
    });
    const nodes = simulation.addNodes(["n1", "n2"], (context) => new CausalBroadcastNode(context));
    for (const payload of ["a", "b", "c", "d", "e"]) {
      simulation.act<CausalBroadcastNode>("n1", `broadcast ${payload}`, (node) =>
        node.broadcast(payload),
      );
    }
    simulation.runUntilQuiet({ withinMs: 1_000 });
    const n2 = nodes.node("n2")!;
    expect(
      listed(n2.delivered),
      "what n2 delivered when the network brought every message twice: each once, in the order sent",
    ).toBe("a, b, c, d, e");
    expect(
      n2.heldBackCount,
      "messages n2 still holds back after every copy arrived: a copy of a message already delivered should be dropped, not kept",
    ).toBe(0);
  });

  test("the same payload broadcast twice is delivered twice: a copy is told by its clock, not its payload", () => {
    // Rule 2 drops a copy by the sender's entry in its clock. Two broadcasts that happen to
    // carry the same text are two messages; a node that drops the second as a "copy" holds
    // back everything the sender broadcasts after it, for ever.
    const simulation = new Simulation<CausalMessage>({
      seed: 1,
      name: "same payload twice",
      network: { latencyMs: { min: 1, max: 30 }, duplicateRate: 0.5 },
    });
    const nodes = simulation.addNodes(["n1", "n2"], (context) => new CausalBroadcastNode(context));
    for (const payload of ["ping", "ping", "pong", "ping"]) {
      simulation.act<CausalBroadcastNode>("n1", `broadcast ${payload}`, (node) =>
        node.broadcast(payload),
      );
    }
    simulation.runUntilQuiet({ withinMs: 1_000 });
    const n2 = nodes.node("n2")!;
    expect(
      listed(n2.delivered),
      "what n2 delivered after n1 broadcast ping, ping, pong, ping: four messages, even though three share a payload",
    ).toBe("ping, ping, pong, ping");
    expect(n2.heldBackCount, "messages n2 still holds back once the run is quiet").toBe(0);
  });
});

/** A run of random broadcasts on a network that reorders and duplicates, and what caused what. */
interface BroadcastRun {
  simulation: Simulation<CausalMessage>;
  nodes: NodeGroup<CausalBroadcastNode>;
  /** Every payload broadcast, "n2#3" being n2's third, in the order they were broadcast. */
  payloads: string[];
  /** For each payload, what its sender had delivered when it broadcast: the messages before it. */
  causes: Map<string, readonly string[]>;
}

const ids = ["n1", "n2", "n3", "n4"];
const broadcastsPerRun = 30;

/** Sets up a run; `beforeStart` may add invariants; the broadcasts and the rest follow. */
function randomRun(seed: number, beforeStart?: (run: BroadcastRun) => void): BroadcastRun {
  const simulation = new Simulation<CausalMessage>({
    seed,
    name: "random broadcasts",
    // A wide latency spread reorders messages; duplicates test that copies are recognised.
    network: { latencyMs: { min: 1, max: 60 }, duplicateRate: 0.2 },
  });
  const nodes = simulation.addNodes(ids, (context) => new CausalBroadcastNode(context));
  const run: BroadcastRun = { simulation, nodes, payloads: [], causes: new Map() };
  beforeStart?.(run);
  const workload = new Random(seed, "workload");
  const sentBy = new Map<string, number>();
  for (let broadcast = 0; broadcast < broadcastsPerRun; broadcast++) {
    simulation.runFor(workload.int(0, 15));
    const sender = workload.pick(ids);
    const payload = `${sender}#${(sentBy.get(sender) ?? 0) + 1}`;
    sentBy.set(sender, (sentBy.get(sender) ?? 0) + 1);
    simulation.act<CausalBroadcastNode>(sender, `broadcast ${payload}`, (node) => {
      run.causes.set(
        payload,
        node.delivered.map((delivery) => delivery.payload),
      );
      run.payloads.push(payload);
      node.broadcast(payload);
    });
  }
  simulation.runUntilQuiet({ withinMs: 10_000 });
  return run;
}

/** The first delivery at `node` that came before one of its causes, described, or nothing. */
function causalViolation(
  run: BroadcastRun,
  node: string,
  delivered: readonly Delivery[],
  fromIndex = 0,
  seen = new Set(delivered.slice(0, fromIndex).map((delivery) => delivery.payload)),
): string | undefined {
  for (let index = fromIndex; index < delivered.length; index++) {
    const { from, payload } = delivered[index]!;
    for (const cause of run.causes.get(payload) ?? []) {
      if (!seen.has(cause))
        return `${node} delivered ${payload} before ${cause}, but ${from} had delivered ${cause} before broadcasting ${payload}. ${node} delivered, in order: ${listed(delivered.slice(0, index + 1))}`;
    }
    seen.add(payload);
  }
  return undefined;
}

describe("1.3 Causal broadcast: random runs that reorder and duplicate messages", () => {
  test("every message is delivered exactly once, in causal order", () => {
    forEachSeed((seed) => {
      const run = randomRun(seed);
      for (const id of run.nodes.ids) {
        const node = run.nodes.node(id)!;
        const counts = new Map<string, number>();
        for (const { payload } of node.delivered)
          counts.set(payload, (counts.get(payload) ?? 0) + 1);
        for (const payload of run.payloads) {
          const count = counts.get(payload) ?? 0;
          if (count !== 1)
            expect.fail(
              `${id} delivered ${payload} ${count === 0 ? "never" : `${count} times`}; every node should deliver every message exactly once. ${id} delivered: ${listed(node.delivered)} (and holds back ${node.heldBackCount})`,
            );
        }
        const violation = causalViolation(run, id, node.delivered);
        if (violation !== undefined) expect.fail(violation);
      }
    });
  });

  test("no message is delivered before a message that causally precedes it", () => {
    forEachSeed((seed) => {
      randomRun(seed, (run) => {
        // Checked after every event, so a failure stops at the delivery that broke the order.
        const checked = new Map<string, number>();
        run.simulation.addInvariant("no message is delivered before its causes", () => {
          for (const id of run.nodes.ids) {
            const delivered = run.nodes.node(id)!.delivered;
            const violation = causalViolation(run, id, delivered, checked.get(id) ?? 0);
            if (violation !== undefined) return violation;
            checked.set(id, delivered.length);
          }
        });
      });
    });
  });

  test("messages from one sender are delivered in the order they were sent", () => {
    forEachSeed((seed) => {
      const run = randomRun(seed);
      for (const id of run.nodes.ids) {
        const delivered = run.nodes.node(id)!.delivered;
        // The k-th message a node delivers from a sender must be the k-th that sender sent.
        const countFrom = new Map<string, number>();
        for (const { from, payload } of delivered) {
          const expected = `${from}#${(countFrom.get(from) ?? 0) + 1}`;
          if (payload !== expected)
            expect.fail(
              `${id} delivered ${payload} where ${from}'s next message was ${expected}: ${from} sent ${expected} first. ${id} delivered, in order: ${listed(delivered)}`,
            );
          countFrom.set(from, (countFrom.get(from) ?? 0) + 1);
        }
      }
    });
  });

  test("nothing is left in the hold-back queue once the run is quiet", () => {
    forEachSeed((seed) => {
      const run = randomRun(seed);
      for (const id of run.nodes.ids) {
        const node = run.nodes.node(id)!;
        if (node.heldBackCount !== 0)
          expect.fail(
            `${id} still holds back ${node.heldBackCount} message(s) after every message has arrived; everything that can be delivered should be. It delivered ${node.delivered.length} of ${run.payloads.length}: ${listed(node.delivered)}`,
          );
      }
    });
  });
});
