import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation } from "../../harness/testing.js";
import { hash64 } from "./hash.js";
import { CacheClient, ShardDirectory, type CacheOperation } from "./sharded-cache-cluster.js";
import { CacheProbe } from "./sharded-cache-probe.js";
import { ringOf, type CacheMessage } from "./sharded-cache-protocol.js";
import { CacheNode } from "./sharded-cache.js";

// Exercise 6.5 — a sharded cache that rebalances online. Run: npm run workbook -- test 6.5
//
// "The node" tests drive one real node, n1, with crafted messages (sharded-cache-probe.ts).
// "The cluster" tests run real nodes, the directory and a client on a lossy network.

/** A key, drawn from `random`, that `ringOf(before)` gives to `ownerBefore` and `ringOf(after)` to `ownerAfter`. */
function keyOwnedBy(
  random: Random,
  before: string[],
  ownerBefore: string | undefined,
  after: string[],
  ownerAfter: string,
): string {
  const ringBefore = ringOf(before);
  const ringAfter = ringOf(after);
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const key = `key-${random.int(0, 1_000_000_000)}`;
    if (ownerBefore !== undefined && ringBefore.nodeFor(key) !== ownerBefore) continue;
    if (ringAfter.nodeFor(key) === ownerAfter) return key;
  }
  throw new Error(`6.5 test: found no key owned by ${ownerBefore} then ${ownerAfter}`);
}

describe("6.5 A sharded cache: the node", () => {
  test("a node serves only requests tagged with its own epoch", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n1", "n2"], "n1", ["n1", "n2", "n3"], "n1");
        probe.config({ epoch: 1, members: ["n1", "n2"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n1", "n2"] });
        probe.send("n2", { type: "transfer", epoch: 2, entries: [] });
        expect(probe.put(1, key, "old", 1), "a put tagged with epoch 1 reaches n1 in epoch 2").toBe(
          "wrong-epoch",
        );
        expect(
          probe.put(3, key, "future", 2),
          "a put tagged with epoch 3 reaches n1 in epoch 2",
        ).toBe("wrong-epoch");
        expect(
          probe.get(1, key, 3)?.status,
          "a get tagged with epoch 1 reaches n1 in epoch 2",
        ).toBe("wrong-epoch");
        expect(probe.put(2, key, "now", 4), "a put tagged with n1's own epoch 2").toBe("ok");
        const reply = probe.get(2, key, 5);
        expect(reply?.entry?.value, "the value read after refused puts of other epochs").toBe(
          "now",
        );
        expect(reply?.epoch, "a reply carries the node's epoch").toBe(2);
      },
      { seeds: 5 },
    );
  });

  test("a node refuses a key it does not own in its epoch, even one it owned before", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n1", "n2"], "n1", ["n1", "n2", "n3"], "n3");
        probe.config({ epoch: 1, members: ["n1", "n2"], previous: [] });
        expect(probe.put(1, key, "v", 1), `n1 owns ${key} in epoch 1`).toBe("ok");
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n1", "n2"] });
        probe.send("n2", { type: "transfer", epoch: 2, entries: [] });
        expect(probe.put(2, key, "w", 2), `${key} moved to n3 in epoch 2; a put at n1`).toBe(
          "wrong-owner",
        );
        expect(probe.get(2, key, 3)?.status, `${key} moved to n3 in epoch 2; a get at n1`).toBe(
          "wrong-owner",
        );
      },
      { seeds: 5 },
    );
  });

  test("a new owner answers not-ready until every previous member's transfer has arrived", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n2", "n3"], undefined, ["n1", "n2", "n3"], "n1");
        probe.config({ epoch: 1, members: ["n2", "n3"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n2", "n3"] });
        expect(probe.get(2, key, 1)?.status, "a get before any transfer has arrived").toBe(
          "not-ready",
        );
        expect(probe.put(2, key, "early", 2), "a put before any transfer has arrived").toBe(
          "not-ready",
        );
        probe.send("n2", {
          type: "transfer",
          epoch: 2,
          entries: [{ key, value: "moved", version: 1 }],
        });
        expect(probe.acksTo("n2"), "n1 acknowledges n2's transfer").toHaveLength(1);
        expect(probe.get(2, key, 3)?.status, "a get with n2's transfer in but n3's missing").toBe(
          "not-ready",
        );
        probe.send("n3", { type: "transfer", epoch: 2, entries: [] });
        const reply = probe.get(2, key, 4);
        expect(reply?.status, "a get once n2 and n3 have both sent their transfers").toBe("ok");
        expect(reply?.entry?.value, "the value n2 moved to n1").toBe("moved");
      },
      { seeds: 5 },
    );
  });

  test("a late transfer from an earlier epoch is acknowledged but does not count for this one", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n2", "n3"], undefined, ["n1", "n2", "n3"], "n1");
        probe.config({ epoch: 1, members: ["n2", "n3"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n2", "n3"] });
        probe.send("n2", {
          type: "transfer",
          epoch: 2,
          entries: [{ key, value: "moved", version: 1 }],
        });
        // A copy of a transfer from epoch 1, delayed until now: n3 has not sent epoch 2's.
        probe.send("n3", { type: "transfer", epoch: 1, entries: [] });
        expect(probe.acksTo("n3"), "n1 acknowledges even the late transfer").toHaveLength(1);
        expect(
          probe.get(2, key, 1)?.status,
          "a get with n2's epoch-2 transfer in, and only an epoch-1 one from n3",
        ).toBe("not-ready");
        probe.send("n3", { type: "transfer", epoch: 2, entries: [] });
        expect(probe.get(2, key, 2)?.status, "a get once n3's epoch-2 transfer is in").toBe("ok");
      },
      { seeds: 5 },
    );
  });

  test("a transferred key survives a crash right after its acknowledgement", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n2"], "n2", ["n1", "n2"], "n1");
        probe.config({ epoch: 1, members: ["n2"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2"], previous: ["n2"] });
        probe.send("n2", {
          type: "transfer",
          epoch: 2,
          entries: [{ key, value: "kept", version: 7 }],
        });
        expect(probe.acksTo("n2"), "n1 acknowledges the transfer").toHaveLength(1);
        probe.crashAndRestart();
        const reply = probe.get(2, key, 8);
        expect(
          reply?.status,
          "a get after n1 acknowledged the transfer, crashed and restarted",
        ).toBe("ok");
        expect(reply?.entry, "the acknowledged entry, after the restart").toEqual({
          value: "kept",
          version: 7,
        });
      },
      { seeds: 5 },
    );
  });

  test("a node remembers its epoch across a restart, and ignores an older configuration", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n1", "n2"], "n1", ["n1", "n2", "n3"], "n3");
        probe.config({ epoch: 1, members: ["n1", "n2"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n1", "n2"] });
        probe.send("n2", { type: "transfer", epoch: 2, entries: [] });
        probe.crashAndRestart();
        expect(probe.node?.epoch, "n1's epoch after a restart").toBe(2);
        probe.config({ epoch: 1, members: ["n1", "n2"], previous: [] }); // late
        expect(
          probe.put(1, key, "lost", 1),
          `after a restart and a late configuration of epoch 1, a put of ${key} (n1's in epoch 1, n3's in 2) tagged with epoch 1`,
        ).toBe("wrong-epoch");
      },
      { seeds: 5 },
    );
  });

  test("a repeated or late transfer never overwrites a newer write", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n2"], "n2", ["n1", "n2"], "n1");
        probe.config({ epoch: 1, members: ["n2"], previous: [] });
        probe.config({ epoch: 2, members: ["n1", "n2"], previous: ["n2"] });
        const transfer: CacheMessage = {
          type: "transfer",
          epoch: 2,
          entries: [{ key, value: "moved", version: 3 }],
        };
        probe.send("n2", transfer);
        expect(probe.put(2, key, "newer", 9), "a put after the transfer").toBe("ok");
        probe.send("n2", transfer); // duplicated
        probe.send("n2", {
          type: "transfer",
          epoch: 1,
          entries: [{ key, value: "late", version: 1 }],
        });
        expect(probe.acksTo("n2").length, "every copy of a transfer is acknowledged").toBe(3);
        expect(probe.get(2, key, 10)?.entry?.value, "after a repeated and a late transfer").toBe(
          "newer",
        );
      },
      { seeds: 5 },
    );
  });

  test("a member of the previous epoch sends each new member exactly the keys that moved to it, until acknowledged", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const random = new Random(seed);
        probe.config({ epoch: 1, members: ["n1"], previous: [] });
        const keys = Array.from({ length: 40 }, (_, index) => `key-${index}-${random.int(0, 1e9)}`);
        keys.forEach((key, index) => {
          expect(probe.put(1, key, `v${index}`, index + 1), `put ${key} in epoch 1`).toBe("ok");
        });
        probe.config({ epoch: 2, members: ["n1", "n2", "n3"], previous: ["n1"] });
        const ring = ringOf(["n1", "n2", "n3"]);
        for (const member of ["n2", "n3"]) {
          const transfers = probe.transfersTo(member);
          expect(transfers.length, `transfers n1 sent ${member} for epoch 2`).toBeGreaterThan(0);
          const sentKeys = transfers[0]!.entries.map((entry) => entry.key).sort();
          const moved = keys.filter((key) => ring.nodeFor(key) === member).sort();
          expect(sentKeys, `the keys n1 sent ${member}: exactly those epoch 2 gives it`).toEqual(
            moved,
          );
          expect(transfers[0]!.epoch, "a transfer names the epoch it moves keys into").toBe(2);
        }
        probe.send("n2", { type: "transfer-ack", epoch: 2 });
        const sentToN3 = probe.transfersTo("n3").length;
        probe.simulation.runFor(300);
        expect(
          probe.transfersTo("n3").length,
          "n3 never acknowledged: n1 should resend its transfer within 300 ms",
        ).toBeGreaterThan(sentToN3);
        const sentToN2 = probe.transfersTo("n2").length;
        probe.simulation.runFor(300);
        expect(probe.transfersTo("n2").length, "n2 acknowledged: n1 stops resending to it").toBe(
          sentToN2,
        );
      },
      { seeds: 5 },
    );
  });

  test("a late acknowledgement from an earlier epoch neither ends a transfer nor lets its keys go", () => {
    forEachSeed(
      (seed) => {
        const probe = new CacheProbe(seed);
        const key = keyOwnedBy(new Random(seed), ["n1"], "n1", ["n1", "n2", "n3"], "n2");
        probe.config({ epoch: 1, members: ["n1"], previous: [] });
        expect(probe.put(1, key, "kept", 1), `put ${key} in epoch 1`).toBe("ok");
        probe.config({ epoch: 2, members: ["n1", "n2"], previous: ["n1"] });
        probe.config({ epoch: 3, members: ["n1", "n2", "n3"], previous: ["n1", "n2"] });
        // n2's acknowledgement of epoch 2's transfer, arriving only now that n1 is in epoch 3.
        probe.send("n2", { type: "transfer-ack", epoch: 2 });
        const sent = probe.transfersTo("n2").length;
        probe.simulation.runFor(300);
        const resent = probe.transfersTo("n2").slice(sent);
        expect(
          resent.length,
          "n2 has not acknowledged epoch 3: after a late ack of epoch 2, n1 should still resend within 300 ms",
        ).toBeGreaterThan(0);
        expect(
          resent.at(-1)!.entries.map((entry) => entry.key),
          `n1's resent transfer to n2 for epoch 3 still carries ${key}`,
        ).toContain(key);
        expect(resent.at(-1)!.epoch, "the resent transfer's epoch").toBe(3);
      },
      { seeds: 5 },
    );
  });
});

/** Every cache node, the directory and one client, on a network that loses and repeats. */
function cluster(seed: number, members: string[], all: string[]) {
  const simulation = new Simulation<CacheMessage>({
    seed,
    network: { latencyMs: { min: 1, max: 15 }, lossRate: 0.1, duplicateRate: 0.05 },
  });
  const caches = simulation.addNodes(all, (context) => new CacheNode(context));
  const client = simulation.addNodes(["client"], (context) => new CacheClient(context));
  const directory = simulation.addNodes(
    ["directory"],
    (context) => new ShardDirectory(context, members, [...all, "client"]),
  );
  const clientNode = () => client.node("client")!;
  const directoryNode = () => directory.node("directory")!;
  // Checked after every event, so each check reads only the operations finished since the last.
  const twoWriters = new OperationCheck(() => {
    const writers = new Map<string, string>();
    return (operation) => {
      if (operation.kind !== "put") return undefined;
      const slot = `${operation.key} in epoch ${operation.epoch}`;
      const writer = writers.get(slot);
      writers.set(slot, writer ?? operation.node);
      return writer !== undefined && writer !== operation.node
        ? `${writer} and ${operation.node} both accepted writes for ${slot}`
        : undefined;
    };
  });
  const staleReads = new OperationCheck(staleReadCheck);
  simulation.addInvariant("no two nodes accept writes for a key in the same epoch", () =>
    twoWriters.check(clientNode().done),
  );
  simulation.addInvariant("a read sees the latest acknowledged write", () =>
    staleReads.check(clientNode().done),
  );
  return { simulation, caches, client: clientNode, directory: directoryNode };
}

/** The first read that did not return the latest acknowledged write of its key, described. */
function staleRead(done: CacheOperation[]): string | undefined {
  return new OperationCheck(staleReadCheck).check(done);
}

/** Reads operations in the order they finished; says what is wrong with the first stale read. */
function staleReadCheck(): (operation: CacheOperation) => string | undefined {
  const latest = new Map<string, string>();
  return (operation) => {
    if (operation.kind === "put") latest.set(operation.key, operation.value);
    else if ((latest.get(operation.key) ?? "") !== operation.value)
      return `a read of ${operation.key} from ${operation.node} in epoch ${operation.epoch} returned "${operation.value}", but the latest acknowledged write was "${latest.get(operation.key) ?? ""}"`;
    return undefined;
  };
}

/**
 * A check of the client's finished operations, fed each operation once, in order: the client
 * only ever appends to `done`. What it first finds wrong is kept. A new `done` (a new client)
 * starts the check again from scratch.
 */
class OperationCheck {
  readonly #start: () => (operation: CacheOperation) => string | undefined;
  #read: (operation: CacheOperation) => string | undefined;
  #source: CacheOperation[] | undefined;
  #checked = 0;
  #found: string | undefined;

  constructor(start: () => (operation: CacheOperation) => string | undefined) {
    this.#start = start;
    this.#read = start();
  }

  check(done: CacheOperation[]): string | undefined {
    if (done !== this.#source) {
      this.#source = done;
      this.#read = this.#start();
      this.#checked = 0;
      this.#found = undefined;
    }
    while (this.#found === undefined && this.#checked < done.length)
      this.#found = this.#read(done[this.#checked++]!);
    return this.#found;
  }
}

describe("6.5 A sharded cache: the cluster", () => {
  test("through a join, a leave and a crash during the transfer, under loss and duplication, no acknowledged write is lost", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed);
        const all = ["n1", "n2", "n3", "n4", "n5"];
        const { simulation, client, directory } = cluster(seed, ["n1", "n2", "n3", "n4"], all);
        const keys = Array.from({ length: 20 }, (_, index) => `key-${index}`);
        simulation.runFor(100);
        const work = (round: number) =>
          simulation.act<CacheClient>("client", `round ${round}`, (node) => {
            for (const key of keys) {
              if (random.next() < 0.6) node.put(key, `${key}@${round}`);
              if (random.next() < 0.5) node.get(key);
            }
          });
        const finish = (what: string) =>
          expect(
            simulation.runUntil(() => client().idle, { withinMs: 20_000 }),
            `the client's operations should all finish ${what}`,
          ).toBe(true);
        work(1);
        finish("before any change");
        for (const [round, members] of [
          [2, ["n1", "n2", "n3", "n4", "n5"]],
          [3, ["n1", "n3", "n4", "n5"]],
        ] as const) {
          simulation.act<ShardDirectory>("directory", `epoch for round ${round}`, (node) =>
            node.change([...members]),
          );
          const victim = all[random.int(0, all.length - 1)]!;
          simulation.after(random.int(1, 20), `crash ${victim}`, () => simulation.crash(victim));
          simulation.after(random.int(60, 200), `restart ${victim}`, () =>
            simulation.restart(victim),
          );
          work(round);
          finish(
            `in round ${round}, after epoch ${directory().config.epoch} began and ${victim} crashed`,
          );
        }
        simulation.act<CacheClient>("client", "read everything", (node) => {
          for (const key of keys) node.get(key);
        });
        finish("reading every key at the end");
        const stale = staleRead(client().done);
        expect(stale, "every read should see the latest acknowledged write").toBeUndefined();
      },
      { seeds: 10 },
    );
  });

  test("after one node joins n = 4, at least 1 − 1/(n + 1) − 0.15 of the cached keys still hit where they were", () => {
    forEachSeed(
      (seed) => {
        const all = ["n1", "n2", "n3", "n4", "n5"];
        const { simulation, caches, client } = cluster(seed, ["n1", "n2", "n3", "n4"], all);
        const keys = Array.from({ length: 300 }, (_, index) => `key-${seed}-${index}`);
        simulation.runFor(100);
        simulation.act<CacheClient>("client", "fill", (node) => {
          for (const key of keys) node.put(key, "v");
        });
        expect(
          simulation.runUntil(() => client().idle, { withinMs: 20_000 }),
          "the fill finishes",
        ).toBe(true);
        const holderBefore = new Map<string, string>();
        for (const id of all)
          for (const key of caches.node(id)!.entries.keys()) holderBefore.set(key, id);
        expect(holderBefore.size, "every key is cached somewhere after the fill").toBe(keys.length);
        simulation.act<ShardDirectory>("directory", "n5 joins", (node) => node.change(all));
        simulation.runFor(3_000); // the transfers, resent through losses, and their acknowledgements
        let stayed = 0;
        for (const key of keys) {
          const holders = all.filter((id) => caches.node(id)!.entries.has(key));
          expect(holders.length, `after the join, ${key} is held by ${holders.join(", ")}`).toBe(1);
          if (holders[0] === holderBefore.get(key)) stayed++;
        }
        const n = 4;
        const floor = 1 - 1 / (n + 1) - 0.15;
        expect(
          stayed / keys.length,
          `the fraction of keys still where they were`,
        ).toBeGreaterThanOrEqual(floor);
        // The same keys under hash mod N: most of them move.
        const modStayed = keys.filter(
          (key) => hash64(key) % BigInt(n) === hash64(key) % BigInt(n + 1),
        ).length;
        expect(modStayed / keys.length, "for comparison, the fraction mod N keeps").toBeLessThan(
          0.4,
        );
      },
      { seeds: 10 },
    );
  });
});
