import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeId } from "../../harness/testing.js";
import {
  BroadcastProbe,
  describeGaps,
  figuresOf,
  recordSends,
  scheduleWorkload,
  type SentMessage,
} from "./broadcast-checks.js";
import { BroadcastNode, type BroadcastMessage } from "./epidemic-broadcast.js";

// Exercise 5.1 — epidemic broadcast with an efficiency budget. Run: npm run workbook -- test 5.1

const ids = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);

/** Three nodes and a probe, all peers of each other; the probe sends what a test tells it to. */
function withProbe(seed: number, name: string) {
  const simulation = new Simulation<BroadcastMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 10 } },
  });
  const sent: SentMessage[] = [];
  const group = simulation.addNodes<BroadcastNode | BroadcastProbe>(
    ["n1", "n2", "n3", "probe"],
    (context) =>
      context.id === "probe"
        ? new BroadcastProbe(context, () => simulation.nowMs)
        : new BroadcastNode(recordSends(context, sent, () => simulation.nowMs)),
  );
  const node = (id: NodeId) => group.node(id) as BroadcastNode;
  const probe = () => group.node("probe") as BroadcastProbe;
  const send = (to: NodeId, message: BroadcastMessage): void => {
    simulation.act<BroadcastProbe>("probe", `probe sends ${message.type} → ${to}`, (instance) =>
      instance.send(to, message),
    );
  };
  return { simulation, node, probe, send, sent };
}

describe("5.1 epidemic broadcast: the rules", () => {
  test("a broadcast value is read back at once and mailed to every peer", () => {
    forEachSeed(
      (seed) => {
        const { simulation, node, probe, sent } = withProbe(seed, "direct mail");
        simulation.act<BroadcastNode>("n1", "broadcast 7", (n1) => n1.broadcast(7));
        expect(node("n1").read(), "n1 must read its own value back at once").toEqual([7]);
        simulation.runFor(50);
        const mail = sent.filter((message) => message.from === "n1" && message.type === "values");
        expect(
          mail.map((message) => message.to).sort(),
          "n1 should mail the value once to each of its peers (direct mail), before any sync",
        ).toEqual(["n2", "n3", "probe"]);
        expect(node("n2").read(), "n2 should have n1's value after one hop").toEqual([7]);
        expect(node("n3").read(), "n3 should have n1's value after one hop").toEqual([7]);
        expect(
          probe().received.map((received) => received.message),
          "the probe, a peer, should receive exactly one values message holding 7",
        ).toEqual([{ type: "values", values: [7] }]);
      },
      { seeds: 3 },
    );
  });

  test("values that arrive are kept once, even when duplicated or late, and not passed on", () => {
    forEachSeed(
      (seed) => {
        const { simulation, node, send, sent } = withProbe(seed, "keep once");
        send("n1", { type: "values", values: [3, 1] });
        send("n1", { type: "values", values: [3, 1] });
        simulation.runFor(20);
        send("n1", { type: "values", values: [1] });
        simulation.runFor(80);
        expect(
          node("n1").read(),
          "n1 received 3 and 1 twice and 1 once more: it must read each once, in ascending order",
        ).toEqual([1, 3]);
        const relayed = sent.filter((message) => message.type === "values");
        expect(
          relayed.map((message) => `${message.from} → ${message.to}`),
          "values a node received must not be passed on: the origin has mailed everyone already (flooding costs N² messages)",
        ).toEqual([]);
        expect(node("n2").read(), "nobody relayed, so n2 has nothing yet").toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("a sync is answered with exactly the values the sender lacks", () => {
    forEachSeed(
      (seed) => {
        const { simulation, node, probe, send } = withProbe(seed, "sync");
        const replies = () =>
          probe()
            .received.filter((received) => received.from === "n1")
            .map((received) => received.message);
        send("n1", { type: "values", values: [2, 4] });
        simulation.runFor(20);
        send("n1", { type: "sync", values: [1, 2, 3] });
        simulation.runFor(20);
        expect(node("n1").read(), "a sync also brings n1 the values it lacked").toEqual([
          1, 2, 3, 4,
        ]);
        expect(
          replies(),
          "n1 has 2 and 4, the probe has 1, 2 and 3: n1 should answer with [4] only",
        ).toEqual([{ type: "values", values: [4] }]);
        send("n1", { type: "sync", values: [4, 3, 2, 1] });
        simulation.runFor(20);
        expect(
          replies().length,
          "the probe now has everything n1 has: n1 should not answer at all",
        ).toBe(1);
        send("n1", { type: "sync", values: [1] });
        simulation.runFor(20);
        const last = replies().at(-1);
        expect(
          last?.type === "values" ? [...last.values].sort() : last,
          "a late sync from a probe that had only 1: n1 should answer with 2, 3 and 4",
        ).toEqual([2, 3, 4]);
      },
      { seeds: 3 },
    );
  });

  test("anti-entropy picks a random peer each round, never itself, about twice a second", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<BroadcastMessage>({ seed, name: "sync targets" });
        const sent: SentMessage[] = [];
        const cluster = ids(5);
        simulation.addNodes(
          cluster,
          (context) => new BroadcastNode(recordSends(context, sent, () => simulation.nowMs)),
        );
        simulation.runFor(10_000);
        for (const id of cluster) {
          const syncs = sent.filter((message) => message.from === id && message.type === "sync");
          const targets = new Set(syncs.map((message) => message.to));
          expect(targets.has(id), `${id} sent a sync to itself`).toBe(false);
          expect(
            targets.size,
            `over 10 s, ${id} synced only with ${[...targets].join(", ") || "nobody"}: a random peer each round should reach at least 3 of its 4 peers`,
          ).toBeGreaterThanOrEqual(3);
          expect(
            syncs.length,
            `${id} sent ${syncs.length} syncs in 10 s; one every 400 to 600 ms makes 16 to 25`,
          ).toBeGreaterThanOrEqual(16);
          expect(
            syncs.length,
            `${id} sent ${syncs.length} syncs in 10 s; one every 400 to 600 ms makes 16 to 25`,
          ).toBeLessThanOrEqual(26);
        }
      },
      { seeds: 3 },
    );
  });

  test("a value survives its node's crash, even when the crash came before its mail got out", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<BroadcastMessage>({ seed, name: "durable values" });
        const nodes = simulation.addNodes(ids(4), (context) => new BroadcastNode(context));
        simulation.isolate("n1");
        simulation.act<BroadcastNode>("n1", "broadcast 9", (n1) => n1.broadcast(9));
        simulation.runFor(5);
        simulation.crash("n1");
        simulation.runFor(100);
        simulation.restart("n1");
        expect(
          nodes.node("n1")!.read(),
          "n1 crashed after accepting 9; after its restart it must still have 9 (keep values in context.storage)",
        ).toEqual([9]);
        simulation.heal();
        const everywhere = simulation.runUntil(() => describeGaps(nodes, [9]) === "", {
          withinMs: 5_000,
        });
        expect(
          everywhere,
          `once healed, 9 must reach every node: ${describeGaps(nodes, [9])}`,
        ).toBe(true);
      },
      { seeds: 5 },
    );
  });
});

describe("5.1 epidemic broadcast: on a hostile network", () => {
  test("every value reaches every live node, through 10 % loss, crashes and a healed partition", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "schedule");
        const cluster = ids(random.pick([7, 10]));
        const simulation = new Simulation<BroadcastMessage>({
          seed,
          name: "lossy broadcast",
          network: { latencyMs: { min: 5, max: 50 }, lossRate: 0.1, duplicateRate: 0.05 },
        });
        const nodes = simulation.addNodes(cluster, (context) => new BroadcastNode(context));
        const report = scheduleWorkload(simulation, nodes, random, {
          operations: 60,
          rateOpsPerSecond: 20,
        });
        const shuffled = random.shuffle(cluster);
        const half = Math.floor(cluster.length / 2);
        simulation.at(500, "partition", () =>
          simulation.partition(shuffled.slice(0, half), shuffled.slice(half)),
        );
        simulation.at(2_000, "heal", () => simulation.heal());
        const crashed = random.pick(cluster);
        simulation.at(random.int(200, 2_500), `crash ${crashed}`, () => simulation.crash(crashed));
        simulation.at(random.int(2_600, 3_000), `restart ${crashed}`, () =>
          simulation.restart(crashed),
        );
        simulation.runFor(3_100);
        const values = report.broadcasts.map((broadcast) => broadcast.value);
        const everywhere = simulation.runUntil(() => describeGaps(nodes, values) === "", {
          withinMs: 10_000,
        });
        expect(report.problems, "every read returns each broadcast value once").toEqual([]);
        expect(
          everywhere,
          `every one of the ${values.length} values should reach every node within 10 s of the last operation, with 10 % loss: ${describeGaps(nodes, values)}`,
        ).toBe(true);
      },
      { seeds: 10 },
    );
  });

  test("one-way link failures and a paused node do not stop the spread", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "schedule");
        const cluster = ids(random.pick([6, 9]));
        const simulation = new Simulation<BroadcastMessage>({
          seed,
          name: "cut links",
          network: { latencyMs: { min: 5, max: 50 }, lossRate: 0.05 },
        });
        const nodes = simulation.addNodes(cluster, (context) => new BroadcastNode(context));
        // A third of the one-way links fail. The links n1 → n2 → … → n1 stay up, so that every
        // node can still reach every other, if only through others.
        const cuts: Array<[NodeId, NodeId]> = [];
        const ring = (from: NodeId, to: NodeId): boolean =>
          cluster[(cluster.indexOf(from) + 1) % cluster.length] === to;
        for (const from of cluster)
          for (const to of cluster)
            if (from !== to && !ring(from, to) && random.chance(1 / 3)) {
              simulation.cut(from, to);
              cuts.push([from, to]);
            }
        const paused = random.pick(cluster);
        simulation.at(300, `pause ${paused}`, () => simulation.pause(paused));
        simulation.at(2_300, `resume ${paused}`, () => simulation.resume(paused));
        const report = scheduleWorkload(simulation, nodes, random, {
          operations: 50,
          rateOpsPerSecond: 25,
        });
        simulation.runFor(2_400);
        const values = report.broadcasts.map((broadcast) => broadcast.value);
        const everywhere = simulation.runUntil(() => describeGaps(nodes, values) === "", {
          withinMs: 10_000,
        });
        expect(report.problems, "every read returns each broadcast value once").toEqual([]);
        expect(
          everywhere,
          `with ${cuts.length} one-way links cut and ${paused} paused for 2 s, every value should still reach every node: ${describeGaps(nodes, values)}`,
        ).toBe(true);
      },
      { seeds: 10 },
    );
  });
});

/** Glomers' settings: 25 nodes, 100 ms latency, 100 operations a second, half of them reads. */
function glomersRun(seed: number) {
  const simulation = new Simulation<BroadcastMessage>({
    seed,
    name: "efficiency",
    network: { latencyMs: { min: 100, max: 100 } },
  });
  const nodes = simulation.addNodes(ids(25), (context) => new BroadcastNode(context));
  const report = scheduleWorkload(simulation, nodes, new Random(seed, "workload"), {
    operations: 300,
    rateOpsPerSecond: 100,
    pollMs: 20,
  });
  simulation.runFor(3_000);
  const values = report.broadcasts.map((broadcast) => broadcast.value);
  simulation.runUntil(() => describeGaps(nodes, values) === "", { withinMs: 5_000 });
  // Maelstrom counts the messages of the whole test, the quiet end included.
  simulation.runFor(1_000);
  return { report, figures: figuresOf(simulation, report) };
}

describe("5.1 epidemic broadcast: the efficiency budgets", () => {
  test("Glomers' budget: fewer than 30 messages per operation, median latency under 400 ms, maximum under 600 ms", () => {
    forEachSeed(
      (seed) => {
        const { report, figures } = glomersRun(seed);
        const said = `${figures.messagesPerOperation.toFixed(1)} messages per operation (${figures.messagesPerBroadcast.toFixed(1)} per broadcast), latency median ${figures.latencyMsMedian} ms, max ${figures.latencyMsMax} ms`;
        expect(report.problems, "every read returns each broadcast value once").toEqual([]);
        expect(
          figures.messagesPerOperation,
          `${said}: the budget is under 30 per operation`,
        ).toBeLessThan(30);
        expect(
          figures.latencyMsMedian,
          `${said}: the budget is a median under 400 ms`,
        ).toBeLessThan(400);
        expect(figures.latencyMsMax, `${said}: the budget is a maximum under 600 ms`).toBeLessThan(
          600,
        );
      },
      { seeds: 2 },
    );
  });

  test("the frugal budget: fewer than 20 messages per operation, median latency under 1 s, maximum under 2 s", () => {
    forEachSeed(
      (seed) => {
        const { figures } = glomersRun(seed + 100);
        const said = `${figures.messagesPerOperation.toFixed(1)} messages per operation (${figures.messagesPerBroadcast.toFixed(1)} per broadcast), latency median ${figures.latencyMsMedian} ms, max ${figures.latencyMsMax} ms`;
        expect(
          figures.messagesPerOperation,
          `${said}: the budget is under 20 per operation`,
        ).toBeLessThan(20);
        expect(figures.latencyMsMedian, `${said}: the budget is a median under 1 s`).toBeLessThan(
          1_000,
        );
        expect(figures.latencyMsMax, `${said}: the budget is a maximum under 2 s`).toBeLessThan(
          2_000,
        );
      },
      { seeds: 2 },
    );
  });
});
