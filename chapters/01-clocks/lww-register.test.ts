import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeGroup } from "../../harness/testing.js";
import { LwwRegisterNode, type LwwWrite } from "./lww-register.js";
import { WallClockRegisterNode, type WallClockWrite } from "./wall-clock-register.js";

// Exercise 1.5 — Last-writer-wins register. Run: npm run workbook -- test 1.5

/** What every replica reads, as text for failure messages: n1="a", n2="b", n3=(nothing). */
function readings(nodes: NodeGroup<{ read(): string | undefined }>): string {
  return nodes.ids
    .map((id) => {
      const value = nodes.node(id)!.read();
      return `${id}=${value === undefined ? "(nothing)" : `"${value}"`}`;
    })
    .join(", ");
}

describe("1.5 Last-writer-wins register: why not wall clocks", () => {
  // This test passes: it shows the given wall-clock register losing a write. Your register,
  // below, must not.
  test("demonstration: with wall-clock timestamps a causally later write can lose", () => {
    const simulation = new Simulation<WallClockWrite>({
      seed: 1,
      name: "wall-clock register",
      network: { latencyMs: { min: 5, max: 5 } },
    });
    const nodes = simulation.addNodes(
      ["n1", "n2", "n3"],
      (context) => new WallClockRegisterNode(context),
    );
    // n1's clock runs one second ahead: a plain misconfigured NTP, nothing exotic.
    simulation.jumpClock("n1", 1_000);
    simulation.act<WallClockRegisterNode>("n1", 'write "1"', (node) => node.write("1"));
    const seen = simulation.runUntil(() => nodes.node("n2")!.read() === "1", { withinMs: 100 });
    expect(seen, "n2 should receive n1's write within 100ms").toBe(true);
    // n2 has read "1" and now replaces it: its write causally follows n1's.
    simulation.act<WallClockRegisterNode>("n2", 'write "2"', (node) => node.write("2"));
    simulation.runUntilQuiet({ withinMs: 1_000 });
    expect(
      readings(nodes),
      'every replica after n2 read "1" and then wrote "2": n1\'s clock is 1s ahead, so "1" (stamped 1000ms) beats "2" (stamped 5ms) and the later write is lost everywhere, even on n2',
    ).toBe('n1="1", n2="1", n3="1"');
  });
});

const ids = ["n1", "n2", "n3", "n4"];

/** Replicas on a network that reorders and duplicates, with clocks that disagree. */
function skewedReplicas(seed: number, name: string) {
  const simulation = new Simulation<LwwWrite>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 30 }, duplicateRate: 0.1 },
    clocks: { offsetMsMax: 1_000, driftPpmMax: 200 },
  });
  const nodes = simulation.addNodes(ids, (context) => new LwwRegisterNode(context));
  return { simulation, nodes };
}

describe("1.5 Last-writer-wins register: your register", () => {
  test("reads after a write on the same node see it", () => {
    forEachSeed(
      (seed) => {
        const { simulation } = skewedReplicas(seed, "read your writes");
        const workload = new Random(seed, "workload");
        for (let step = 1; step <= 30; step++) {
          simulation.runFor(workload.int(0, 20));
          const writer = workload.pick(ids);
          const value = `v${step}`;
          let read: string | undefined;
          simulation.act<LwwRegisterNode>(writer, `write ${value}`, (node) => {
            node.write(value);
            read = node.read();
          });
          if (read !== value)
            expect.fail(
              `${writer} wrote "${value}" and read "${read}" straight after: a node must see its own write, even when the value it replaced came from a node whose clock is ahead`,
            );
        }
      },
      { seeds: 10 },
    );
  });

  test("a causally later write always wins", () => {
    forEachSeed((seed) => {
      const { simulation, nodes } = skewedReplicas(seed, "causal chain");
      // Each write is made by a node that has already read the one before: a chain of causes.
      const chain: string[] = [];
      const lastIndex = new Map<string, number>();
      simulation.addInvariant("no replica goes back to an older write", () => {
        for (const id of ids) {
          const value = nodes.node(id)!.read();
          if (value === undefined) continue;
          const index = chain.indexOf(value);
          const last = lastIndex.get(id) ?? -1;
          if (index < last)
            return `${id} went back from "${chain[last]}" to "${value}", which "${chain[last]}" causally follows`;
          lastIndex.set(id, index);
        }
      });
      const workload = new Random(seed, "workload");
      for (let step = 1; step <= 10; step++) {
        const writer = workload.pick(ids);
        // NTP stepping a clock back, now and then, makes some writers' clocks fall far behind.
        if (workload.chance(0.3))
          simulation.jumpClock(workload.pick(ids), -workload.int(100, 3_000));
        const previous = chain.at(-1);
        const value = `v${step} by ${writer}`;
        chain.push(value);
        simulation.act<LwwRegisterNode>(writer, `write "${value}"`, (node) => node.write(value));
        const everywhere = simulation.runUntil(
          () => ids.every((id) => nodes.node(id)!.read() === value),
          { withinMs: 1_000 },
        );
        if (!everywhere)
          expect.fail(
            previous === undefined
              ? `every replica should read "${value}" within 1s of it being written; they read ${readings(nodes)}`
              : `${writer} wrote "${value}" after reading "${previous}", so "${value}" causally follows it and must replace it on every replica; 1s later they read ${readings(nodes)}`,
          );
        simulation.runFor(workload.int(0, 20));
      }
    });
  });

  test("concurrent writes resolve the same way on every replica", () => {
    forEachSeed((seed) => {
      // Clocks that agree exactly, and writes on several nodes at the same instant: their
      // timestamps are equal, and only a tie-break every replica shares can settle them.
      const simulation = new Simulation<LwwWrite>({
        seed,
        name: "simultaneous writes",
        network: { latencyMs: { min: 1, max: 30 }, duplicateRate: 0.1 },
      });
      const nodes = simulation.addNodes(ids, (context) => new LwwRegisterNode(context));
      const workload = new Random(seed, "workload");
      for (let round = 1; round <= 5; round++) {
        simulation.runFor(workload.int(5, 50));
        const writers = workload.shuffle(ids).slice(0, workload.int(2, ids.length));
        for (const writer of writers) {
          const value = `${writer} in round ${round}`;
          simulation.act<LwwRegisterNode>(writer, `write "${value}"`, (node) => node.write(value));
        }
      }
      simulation.runUntilQuiet({ withinMs: 10_000 });
      const values = new Set(ids.map((id) => nodes.node(id)!.read()));
      if (values.size !== 1)
        expect.fail(
          `once every write has arrived, every replica should hold the same value; they read ${readings(nodes)}. Writes made at the same instant can carry equal timestamps: break the tie the same way everywhere, for example by the writer's name`,
        );
    });
  });

  test("replicas converge to the same value once quiet", () => {
    forEachSeed((seed) => {
      const { simulation, nodes } = skewedReplicas(seed, "converge");
      const workload = new Random(seed, "workload");
      for (let step = 1; step <= 30; step++) {
        simulation.runFor(workload.int(0, 20));
        if (workload.chance(0.1))
          simulation.jumpClock(workload.pick(ids), -workload.int(100, 3_000));
        const writer = workload.pick(ids);
        const value = `v${step} by ${writer}`;
        simulation.act<LwwRegisterNode>(writer, `write "${value}"`, (node) => node.write(value));
      }
      simulation.runUntilQuiet({ withinMs: 10_000 });
      const values = new Set(ids.map((id) => nodes.node(id)!.read()));
      if (values.size !== 1)
        expect.fail(
          `once every write has arrived, every replica should hold the same value, the one with the latest timestamp; they read ${readings(nodes)}`,
        );
    });
  });
});
