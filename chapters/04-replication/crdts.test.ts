import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeId } from "../../harness/testing.js";
import {
  compareVersions,
  GCounter,
  mergeVersions,
  ORSet,
  PNCounter,
  SiblingRegister,
  type Sibling,
} from "./crdts.js";
import { MultiLeaderNode, type MultiLeaderMessage } from "./multi-leader-node.js";

// Exercise 4.3 — multi-leader replication: version vectors, siblings and CRDTs.
// Run: npm run workbook -- test 4.3

describe("4.3 multi-leader: version vectors", () => {
  test("version vectors compare entry by entry, and concurrent ones are neither before nor after", () => {
    expect(compareVersions({ a: 1 }, { a: 2 }), "{a:1} has seen less than {a:2}").toBe("before");
    expect(compareVersions({ a: 2, b: 1 }, { a: 2 }), "a missing entry counts as 0").toBe("after");
    expect(compareVersions({ a: 1, b: 0 }, { a: 1 })).toBe("equal");
    expect(
      compareVersions({ a: 2, b: 1 }, { a: 1, b: 5 }),
      "{a:2,b:1} and {a:1,b:5} each saw an update the other did not: concurrent, whatever their sums",
    ).toBe("concurrent");
    expect(
      compareVersions({ a: 3 }, { b: 1 }),
      "updates from different nodes only: concurrent",
    ).toBe("concurrent");
    expect(
      mergeVersions({ a: 2, b: 1 }, { a: 1, c: 4 }),
      "merge takes the max of each entry",
    ).toEqual({ a: 2, b: 1, c: 4 });
  });
});

describe("4.3 multi-leader: siblings", () => {
  test("Dynamo's figure 3: concurrent writes become siblings until a write that has seen both", () => {
    // DeCandia et al. 2007, figure 3: D1 and D2 through Sx, then D3 through Sy and D4 through Sz
    // from D2 concurrently, then D5 through Sx reconciling D3 and D4.
    const sx = new SiblingRegister();
    sx.write("Sx", "D1", sx.read().context);
    sx.write("Sx", "D2", sx.read().context);
    expect(sx.siblings, "D2 descends from D1 and replaces it").toEqual([
      { value: "D2", clock: { Sx: 2 } },
    ]);
    const sy = new SiblingRegister(sx.siblings);
    const sz = new SiblingRegister(sx.siblings);
    sy.write("Sy", "D3", sy.read().context);
    sz.write("Sz", "D4", sz.read().context);
    const client = new SiblingRegister(sy.siblings);
    client.merge(sz.siblings);
    expect(
      client.read().values,
      "D3 ([Sx,2],[Sy,1]) and D4 ([Sx,2],[Sz,1]) are concurrent: both are kept",
    ).toEqual(["D3", "D4"]);
    expect(client.read().context, "a read's context merges the siblings' clocks").toEqual({
      Sx: 2,
      Sy: 1,
      Sz: 1,
    });
    sx.merge(client.siblings);
    sx.write("Sx", "D5", client.read().context);
    expect(sx.siblings, "D5 ([Sx,3],[Sy,1],[Sz,1]) has seen D3 and D4 and replaces them").toEqual([
      { value: "D5", clock: { Sx: 3, Sy: 1, Sz: 1 } },
    ]);
  });

  test("a write that has seen only some siblings replaces only those", () => {
    const register = new SiblingRegister();
    register.merge([
      { value: "from a", clock: { a: 1 } },
      { value: "from b", clock: { b: 1 } },
    ]);
    register.write("c", "after a", { a: 1 });
    expect(register.read().values, "the write saw only a's value: b's stays a sibling").toEqual([
      "after a",
      "from b",
    ]);
    register.write("a", "stale", {});
    expect(
      register.read().values,
      "a write with an empty context has seen nothing: it is a new sibling, it overwrites nothing",
    ).toEqual(["after a", "from b", "stale"]);
  });
});

describe("4.3 multi-leader: CRDTs", () => {
  test("a G-counter counts every node's increments once, however often states are merged", () => {
    const a = new GCounter();
    const b = new GCounter();
    a.increment("a", 3);
    b.increment("b", 2);
    a.merge(b.counts);
    a.merge(b.counts);
    b.merge(a.counts);
    expect(
      [a.value, b.value],
      "3 from a and 2 from b: both replicas count 5, merged twice or not",
    ).toEqual([5, 5]);
    expect(() => a.increment("a", -1), "a G-counter cannot go down").toThrow();
  });

  test("a PN-counter keeps decrements through merges with older states", () => {
    const a = new PNCounter();
    a.increment("a", 5);
    const old = a.state;
    const b = new PNCounter(old);
    a.decrement("a", 2);
    b.merge(a.state);
    a.merge(old);
    expect(a.value, "5 − 2 = 3; merging the older state (5) must not undo the decrement").toBe(3);
    expect(b.value, "b merged a's newer state").toBe(3);
    b.decrement("b", 4);
    a.merge(b.state);
    expect(a.value, "the counter can go below zero").toBe(-1);
  });

  test("an OR-set: a concurrent add wins over a remove, and a removed element comes back only when added again", () => {
    const a = new ORSet();
    a.add("a", "milk");
    const b = new ORSet(a.state);
    b.remove("milk");
    a.add("a", "milk"); // concurrent with b's remove: b has not seen this add
    a.merge(b.state);
    b.merge(a.state);
    expect([a.values, b.values], "the add b did not see survives its remove (add wins)").toEqual([
      ["milk"],
      ["milk"],
    ]);
    a.remove("milk");
    b.merge(a.state);
    expect(b.has("milk"), "a removed every add of milk it had seen, which were all of them").toBe(
      false,
    );
    a.merge(new ORSet().state);
    a.merge(b.state);
    expect(a.has("milk"), "merging again, with anything, must not bring milk back").toBe(false);
    b.add("b", "milk");
    a.merge(b.state);
    expect(a.has("milk"), "added again after the remove: present").toBe(true);
  });

  test("demonstration: last-writer-wins with skewed clocks loses a write", () => {
    // Two leaders stamp writes with their own clocks; n2's runs 100 ms behind n1's.
    const writes = [
      { value: "first", wallMs: 1_000 }, // n1 at true time 1,000 ms
      { value: "second", wallMs: 1_050 - 100 }, // n2 at true time 1,050 ms
    ];
    const kept = writes.reduce((winner, write) => (write.wallMs > winner.wallMs ? write : winner));
    expect(
      kept.value,
      "the later write carries the smaller timestamp, so last-writer-wins keeps the earlier one",
    ).toBe("first");
  });
});

/** Random updates to three replicas of each type, merging now and then, then three states. */
function randomStates(random: Random) {
  const nodes = ["a", "b", "c"];
  const registers = nodes.map(() => new SiblingRegister());
  const gCounters = nodes.map(() => new GCounter());
  const pnCounters = nodes.map(() => new PNCounter());
  const sets = nodes.map(() => new ORSet());
  const elements = ["x", "y", "z"];
  for (let step = 0; step < 12; step++) {
    const index = random.int(0, 2);
    const node = nodes[index]!;
    const other = random.int(0, 2);
    switch (random.int(0, 5)) {
      case 0:
        registers[index]!.write(
          node,
          `${node}${step}`,
          random.chance(0.5) ? registers[index]!.read().context : {},
        );
        break;
      case 1:
        gCounters[index]!.increment(node, random.int(1, 3));
        break;
      case 2:
        if (random.chance(0.5)) pnCounters[index]!.increment(node, random.int(1, 3));
        else pnCounters[index]!.decrement(node, random.int(1, 3));
        break;
      case 3:
        sets[index]!.add(node, elements[random.int(0, 2)]!);
        break;
      case 4:
        sets[index]!.remove(elements[random.int(0, 2)]!);
        break;
      default:
        // A partial exchange, so the three states share some history.
        registers[index]!.merge(registers[other]!.siblings);
        gCounters[index]!.merge(gCounters[other]!.counts);
        pnCounters[index]!.merge(pnCounters[other]!.state);
        sets[index]!.merge(sets[other]!.state);
    }
  }
  return { registers, gCounters, pnCounters, sets };
}

/** A type's laws, checked on states a, b, c: build from a state, merge others in, compare. */
function checkLaws<State>(
  name: string,
  [a, b, c]: State[],
  fromState: (state: State) => { merge(state: State): void; read(): unknown },
): void {
  const merged = (...states: State[]) => {
    const replica = fromState(states[0]!);
    for (const state of states.slice(1)) replica.merge(state);
    return replica.read();
  };
  const show = (state: State) => JSON.stringify(state);
  expect(
    merged(a!, b!),
    `${name}: merge(a, b) must equal merge(b, a), for a = ${show(a!)}, b = ${show(b!)}`,
  ).toEqual(merged(b!, a!));
  const ab = fromState(a!);
  ab.merge(b!);
  const bc = fromState(b!);
  bc.merge(c!);
  const left = fromState(a!);
  left.merge(state(bc));
  const right = fromState(state(ab));
  right.merge(c!);
  expect(
    left.read(),
    `${name}: merge(a, merge(b, c)) must equal merge(merge(a, b), c), for a = ${show(a!)}, b = ${show(b!)}, c = ${show(c!)}`,
  ).toEqual(right.read());
  expect(merged(a!, a!), `${name}: merge(a, a) must equal a, for a = ${show(a!)}`).toEqual(
    merged(a!),
  );
}

function state<State>(replica: { merge(state: State): void; read(): unknown }): State {
  return (replica as unknown as { state(): State }).state();
}

describe("4.3 multi-leader: merge laws (property tests)", () => {
  test("merge is commutative, associative and idempotent for every type", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "states");
        for (let trial = 0; trial < 10; trial++) {
          const { registers, gCounters, pnCounters, sets } = randomStates(random);
          checkLaws(
            "sibling register",
            registers.map((register) => register.siblings as Sibling[]),
            (siblings) => {
              const register = new SiblingRegister(siblings);
              return {
                merge: (other) => register.merge(other),
                read: () => canonical(register.siblings),
                state: () => register.siblings as Sibling[],
              };
            },
          );
          checkLaws(
            "G-counter",
            gCounters.map((counter) => counter.counts),
            (counts) => {
              const counter = new GCounter(counts);
              return {
                merge: (other) => counter.merge(other),
                read: () => [counter.value, canonical(counter.counts)],
                state: () => counter.counts,
              };
            },
          );
          checkLaws(
            "PN-counter",
            pnCounters.map((counter) => counter.state),
            (initial) => {
              const counter = new PNCounter(initial);
              return {
                merge: (other) => counter.merge(other),
                read: () => [counter.value, canonical(counter.state)],
                state: () => counter.state,
              };
            },
          );
          checkLaws(
            "OR-set",
            sets.map((set) => set.state),
            (initial) => {
              const set = new ORSet(initial);
              return {
                merge: (other) => set.merge(other),
                read: () => [set.values, canonical(set.state)],
                state: () => set.state,
              };
            },
          );
        }
      },
      { seeds: 20 },
    );
  });
});

/** JSON with object keys and arrays sorted, so equal states print the same. */
function canonical(value: unknown): string {
  const normalise = (item: unknown): unknown => {
    if (Array.isArray(item))
      return item
        .map(normalise)
        .map((each) => JSON.stringify(each))
        .sort();
    if (item !== null && typeof item === "object")
      return Object.fromEntries(
        Object.entries(item as Record<string, unknown>)
          .filter(([, entry]) => entry !== 0)
          .sort(([x], [y]) => (x < y ? -1 : 1))
          .map(([key, entry]) => [key, normalise(entry)]),
      );
    return item;
  };
  return JSON.stringify(normalise(value));
}

describe("4.3 multi-leader: leaders exchanging states", () => {
  test("after partitions heal, every leader has the same state and no acknowledged update is lost", () => {
    forEachSeed(
      (seed) => {
        const ids = ["n1", "n2", "n3", "n4"];
        const simulation = new Simulation<MultiLeaderMessage>({
          seed,
          name: "multi-leader",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.2, duplicateRate: 0.2 },
        });
        const nodes = simulation.addNodes(ids, (context) => new MultiLeaderNode(context));
        const random = new Random(seed, "updates");
        let expectedCount = 0;
        const removedForGood = new Set<string>();
        for (let timeMs = 5; timeMs < 1_500; timeMs += 10) {
          simulation.at(timeMs, "an update", () => {
            const id = ids[random.int(0, ids.length - 1)]!;
            if (!simulation.isUp(id)) return;
            const draw = random.next();
            const amount = random.int(1, 5);
            if (draw < 0.4) expectedCount += amount;
            else if (draw < 0.6) expectedCount -= amount;
            const element = `item${random.int(0, 5)}`;
            simulation.act<MultiLeaderNode>(id, "update", (node) =>
              node.update((leader, self) => {
                if (draw < 0.4) leader.counter.increment(self, amount);
                else if (draw < 0.6) leader.counter.decrement(self, amount);
                else if (draw < 0.8) leader.set.add(self, element);
                else
                  leader.register.write(self, `${self}@${timeMs}`, leader.register.read().context);
              }),
            );
          });
        }
        simulation.at(300, "partition", () => simulation.partition(["n1", "n2"], ["n3", "n4"]));
        simulation.at(700, "heal", () => simulation.heal());
        simulation.at(800, "crash n4", () => simulation.crash("n4"));
        simulation.at(1_000, "restart n4", () => simulation.restart("n4"));
        // While n3 is cut off, n1 removes item9 that only it had added: it must stay removed.
        simulation.at(1_100, "isolate n3", () => simulation.isolate("n3"));
        simulation.at(1_110, "add item9", () =>
          simulation.act<MultiLeaderNode>("n1", "add", (node) =>
            node.update((leader, self) => leader.set.add(self, "item9")),
          ),
        );
        simulation.at(1_300, "remove item9", () =>
          simulation.act<MultiLeaderNode>("n1", "remove", (node) =>
            node.update((leader) => {
              leader.set.remove("item9");
              removedForGood.add("item9");
            }),
          ),
        );
        simulation.at(1_400, "heal", () => simulation.heal());
        simulation.runFor(1_500);
        simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
        simulation.runFor(500);
        const first = nodes.node("n1")!;
        for (const id of ids) {
          const node = nodes.node(id)!;
          expect(
            node.counter.value,
            `${id}: the counter should count every acknowledged increment and decrement`,
          ).toBe(expectedCount);
          expect(node.set.values, `${id}: every leader should have the same set`).toEqual(
            first.set.values,
          );
          expect(node.register.read(), `${id}: every leader should have the same siblings`).toEqual(
            first.register.read(),
          );
          for (const element of removedForGood)
            expect(node.set.has(element), `${id}: ${element} was removed and not added again`).toBe(
              false,
            );
        }
      },
      { seeds: 5 },
    );
  });
});
