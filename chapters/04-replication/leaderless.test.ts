import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeId } from "../../harness/testing.js";
import {
  choose,
  countAntiEntropy,
  ProbeNode,
  QuorumClient,
  VersionSource,
  type AntiEntropyCount,
  type QuorumOperation,
} from "./leaderless-checks.js";
import {
  preferenceList,
  type LeaderlessMessage,
  type StoredRecord,
} from "./leaderless-protocol.js";
import { LeaderlessNode, type LeaderlessOptions } from "./leaderless.js";

// Exercise 4.4 — leaderless quorums, Dynamo-style. Run: npm run workbook -- test 4.4

const record = (value: string | null, version: number): StoredRecord => ({ value, version });

/**
 * One real node, n1, with probes p2 and p3 as the other replicas (N = 3: every node is a home
 * replica of every key) and c as a client. Each rule is tested by itself.
 */
function withProbes(seed: number, name: string, quorum: { r: number; w: number }) {
  const simulation = new Simulation<LeaderlessMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 5 } },
  });
  const probes = simulation.addNodes(["p2", "p3", "c"], (context) => new ProbeNode(context));
  const nodes = simulation.addNodes(
    ["n1"],
    (context) =>
      new LeaderlessNode(context, {
        nodes: ["n1", "p2", "p3"],
        n: 3,
        ...quorum,
        sloppy: false,
        antiEntropyMs: 0,
      }),
  );
  const probe = (id: NodeId) => probes.node(id)!;
  const n1 = () => nodes.node("n1")!;
  const send = (from: NodeId, message: LeaderlessMessage, runMs = 20): void => {
    simulation.act<ProbeNode>(from, `${from} sends ${message.type} → n1`, (node) =>
      node.send("n1", message),
    );
    simulation.runFor(runMs);
  };
  const received = (id: NodeId, type: LeaderlessMessage["type"]) =>
    probe(id)
      .received.filter((each) => each.message.type === type)
      .map((each) => each.message);
  return { simulation, n1, probe, send, received };
}

describe("4.4 leaderless quorums: a replica's rules", () => {
  test("a replica keeps the newest version of a key, whatever brings an older one", () => {
    forEachSeed(
      (seed) => {
        const { n1, send } = withProbes(seed, "newest wins", { r: 1, w: 1 });
        send("p2", { type: "store", requestId: 1, key: "x", record: record("five", 5) });
        send("p2", { type: "store", requestId: 2, key: "x", record: record("three", 3) });
        expect(n1().record("x"), "a late store of version 3 must not replace version 5").toEqual(
          record("five", 5),
        );
        send("p3", { type: "repair", key: "x", record: record("two", 2) });
        expect(
          n1().record("x"),
          "a read repair carrying version 2 must not replace version 5",
        ).toEqual(record("five", 5));
        send("p3", { type: "handoff", key: "x", record: record("one", 1) });
        send("p3", {
          type: "merkle-records",
          buckets: [0],
          records: [{ key: "x", record: record("four", 4) }],
          reply: false,
        });
        expect(
          n1().record("x"),
          "neither a handoff (1) nor anti-entropy (4) may replace version 5",
        ).toEqual(record("five", 5));
        send("p3", { type: "repair", key: "x", record: record(null, 6) });
        expect(n1().record("x"), "a newer record, even a tombstone, replaces an older one").toEqual(
          record(null, 6),
        );
      },
      { seeds: 2 },
    );
  });

  test("a hint is kept apart from the replica's own records", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, received } = withProbes(seed, "hints apart", { r: 1, w: 1 });
        send("p2", {
          type: "store",
          requestId: 1,
          key: "x",
          record: record("for p3", 1),
          hintFor: "p3",
        });
        expect(
          n1().record("x"),
          "a hinted write belongs to p3; n1 must not serve it as its own record",
        ).toBeUndefined();
        expect(n1().hints, "n1 should keep it as a hint for p3").toEqual([
          { home: "p3", key: "x", record: record("for p3", 1) },
        ]);
        expect(
          received("p2", "stored"),
          "a stored hint is acknowledged like any write",
        ).toContainEqual({ type: "stored", requestId: 1 });
      },
      { seeds: 2 },
    );
  });

  test("a replica keeps its records and hints across a crash and restart", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, send } = withProbes(seed, "durable", { r: 1, w: 1 });
        send("p2", { type: "store", requestId: 1, key: "x", record: record("kept", 3) });
        send("p2", {
          type: "store",
          requestId: 2,
          key: "y",
          record: record("hinted", 4),
          hintFor: "p3",
        });
        simulation.crash("n1");
        simulation.restart("n1");
        expect(n1().record("x"), "an acknowledged write must survive the replica's crash").toEqual(
          record("kept", 3),
        );
        expect(
          n1().hints.length,
          "a hint is an acknowledged write too: it must survive the crash",
        ).toBe(1);
      },
      { seeds: 2 },
    );
  });
});

describe("4.4 leaderless quorums: the coordinator's rules", () => {
  test("a coordinator acknowledges a write once W distinct replicas stored it, a duplicate counting once", () => {
    forEachSeed(
      (seed) => {
        const { simulation, probe, send, received } = withProbes(seed, "W acks", { r: 1, w: 3 });
        send("c", { type: "put", requestId: 1, key: "x", value: "v", version: 1 });
        const store = received("p2", "store")[0];
        expect(store, "the coordinator should send the write to p2, a home replica").toBeDefined();
        const requestId = (store as { requestId: number }).requestId;
        probe("p2").send("n1", { type: "stored", requestId });
        probe("p2").send("n1", { type: "stored", requestId }); // the network duplicated it
        simulation.runFor(20);
        expect(
          received("c", "put-reply"),
          "n1 and p2 hold the write: 2 of W = 3, however often p2's acknowledgement arrives",
        ).toEqual([]);
        const fromP3 = (received("p3", "store")[0] as { requestId: number }).requestId;
        probe("p3").send("n1", { type: "stored", requestId: fromP3 });
        simulation.runFor(20);
        expect(received("c", "put-reply"), "p3 stored it too: 3 of 3").toEqual([
          { type: "put-reply", requestId: 1, ok: true },
        ]);
      },
      { seeds: 2 },
    );
  });

  test("a coordinator counts its own copy once, and answers not ok when W is out of reach", () => {
    forEachSeed(
      (seed) => {
        const { simulation, send, received } = withProbes(seed, "own copy", { r: 1, w: 2 });
        send("c", { type: "put", requestId: 1, key: "x", value: "v", version: 1 });
        expect(
          received("c", "put-reply"),
          "only n1 itself holds the write; its own copy is one of W = 2, not two",
        ).toEqual([]);
        simulation.runFor(300);
        expect(
          received("c", "put-reply"),
          "after requestTimeoutMs (200 ms) the client should hear the write failed",
        ).toEqual([{ type: "put-reply", requestId: 1, ok: false }]);
      },
      { seeds: 2 },
    );
  });

  test("a read answers with the newest of the first R replies, not the first to arrive", () => {
    forEachSeed(
      (seed) => {
        const { simulation, probe, send, received } = withProbes(seed, "newest of R", {
          r: 3,
          w: 1,
        });
        send("p2", { type: "store", requestId: 1, key: "x", record: record("old", 1) });
        probe("p3").answer = (_, message) =>
          message.type === "fetch"
            ? { type: "fetched", requestId: message.requestId, key: "x", record: null }
            : undefined;
        send("c", { type: "get", requestId: 7, key: "x" });
        expect(received("c", "get-reply"), "R = 3: n1 and p3 have answered, p2 not yet").toEqual(
          [],
        );
        const fetch = received("p2", "fetch")[0] as { requestId: number };
        probe("p2").send("n1", {
          type: "fetched",
          requestId: fetch.requestId,
          key: "x",
          record: record("new", 9),
        });
        simulation.runFor(20);
        expect(
          received("c", "get-reply"),
          "the replies were version 1 (n1), none (p3) and version 9 (p2): the newest is 9",
        ).toEqual([{ type: "get-reply", requestId: 7, ok: true, value: "new", version: 9 }]);
      },
      { seeds: 2 },
    );
  });

  test("read repair sends the newest record to each replica that answered with an older one, and never an older record", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, probe, send, received } = withProbes(seed, "read repair", {
          r: 3,
          w: 1,
        });
        send("p2", { type: "store", requestId: 1, key: "x", record: record("old", 1) });
        probe("p3").answer = (_, message) =>
          message.type === "fetch"
            ? {
                type: "fetched",
                requestId: message.requestId,
                key: "x",
                record: record("older", 2),
              }
            : undefined;
        probe("p2").answer = (_, message) =>
          message.type === "fetch"
            ? { type: "fetched", requestId: message.requestId, key: "x", record: record("new", 9) }
            : undefined;
        send("c", { type: "get", requestId: 7, key: "x" }, 50);
        expect(
          n1().record("x"),
          "n1 answered with version 1; the newest was 9, so n1 repairs itself",
        ).toEqual(record("new", 9));
        expect(
          received("p3", "repair"),
          "p3 answered with version 2: it should get version 9",
        ).toEqual([{ type: "repair", key: "x", record: record("new", 9) }]);
        expect(
          received("p2", "repair"),
          "p2 answered with the newest record: it needs no repair",
        ).toEqual([]);
        simulation.runFor(50);
      },
      { seeds: 2 },
    );
  });
});

/** A real cluster of LeaderlessNodes and one client per id in `clients`. */
function buildCluster(
  seed: number,
  name: string,
  options: Omit<LeaderlessOptions, "nodes"> & { nodes?: readonly NodeId[] },
  clients: readonly NodeId[] = ["c1"],
  count?: AntiEntropyCount,
) {
  const nodeIds = options.nodes ?? ["n1", "n2", "n3", "n4", "n5"];
  const simulation = new Simulation<LeaderlessMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 20 } },
  });
  const nodes = simulation.addNodes(
    nodeIds,
    (context) =>
      new LeaderlessNode(count === undefined ? context : countAntiEntropy(context, count), {
        ...options,
        nodes: nodeIds,
      }),
  );
  const operations: QuorumOperation[] = [];
  const versions = new VersionSource();
  const clientGroup = simulation.addNodes(
    clients,
    (context) => new QuorumClient(context, { nowMs: () => simulation.nowMs, versions, operations }),
  );
  const client = (id: NodeId = clients[0]!) => clientGroup.node(id)!;
  return { simulation, nodes, nodeIds, operations, client, clientGroup };
}

describe("4.4 leaderless quorums: hints, anti-entropy and tombstones", () => {
  const key = "cart";
  const list = preferenceList(key, ["n1", "n2", "n3", "n4", "n5"], 3);
  const [home1, home2, home3, fallback1, fallback2] = list as [
    NodeId,
    NodeId,
    NodeId,
    NodeId,
    NodeId,
  ];

  test("strict quorum: a write that cannot reach W home replicas fails and leaves no hint", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes, client, operations } = buildCluster(seed, "strict", {
          n: 3,
          r: 2,
          w: 2,
          sloppy: false,
          antiEntropyMs: 0,
        });
        simulation.crash(home2);
        simulation.crash(home3);
        simulation.act<QuorumClient>("c1", "put", (c) => c.put(fallback2, key, "book"));
        simulation.runFor(500);
        expect(
          operations[0]!.ok,
          `with ${home2} and ${home3} down only ${home1} of the homes stores it: W = 2 is out of reach`,
        ).toBe(false);
        const hints = nodes.liveIds().flatMap((id) => nodes.node(id)!.hints);
        expect(hints, "a strict quorum never writes to nodes outside the key's N homes").toEqual(
          [],
        );
        void client;
      },
      { seeds: 2 },
    );
  });

  test("sloppy quorum: a write whose homes are down is kept as a hint on a fallback and counts toward W", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes, operations } = buildCluster(seed, "sloppy", {
          n: 3,
          r: 2,
          w: 2,
          sloppy: true,
          antiEntropyMs: 0,
        });
        simulation.crash(home2);
        simulation.crash(home3);
        simulation.act<QuorumClient>("c1", "put", (c) => c.put(fallback2, key, "book"));
        simulation.runFor(500);
        expect(
          operations[0]!.ok,
          `${home1} and a fallback holding a hint make W = 2 (Dynamo counts hinted writes toward W)`,
        ).toBe(true);
        const hints = [fallback1, fallback2].flatMap((id) => nodes.node(id)!.hints);
        expect(
          hints.map((hint) => hint.home).sort(),
          `the fallbacks should keep hints for ${home2} and ${home3}`,
        ).toEqual([home2, home3].sort());
        expect(
          nodes.node(fallback1)!.record(key),
          "a fallback keeps a hint apart, not as its own record",
        ).toBeUndefined();
      },
      { seeds: 2 },
    );
  });

  test("a hinted write reaches its home replica after it recovers, and the hint is dropped", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = buildCluster(seed, "handoff", {
          n: 3,
          r: 2,
          w: 2,
          sloppy: true,
          antiEntropyMs: 0,
        });
        simulation.crash(home2);
        simulation.crash(home3);
        simulation.act<QuorumClient>("c1", "put", (c) => c.put(fallback2, key, "book"));
        simulation.runFor(500);
        // The fallback keeping a hint crashes too: hints are acknowledged writes, kept durably.
        const keeper = [fallback1, fallback2].find((id) => nodes.node(id)!.hints.length > 0)!;
        simulation.crash(keeper);
        simulation.restart(keeper);
        simulation.restart(home2);
        simulation.restart(home3);
        const delivered = simulation.runUntil(
          () =>
            nodes.node(home2)!.record(key)?.value === "book" &&
            nodes.node(home3)!.record(key)?.value === "book" &&
            nodes.liveIds().every((id) => nodes.node(id)!.hints.length === 0),
          { withinMs: 2_000 },
        );
        expect(
          delivered,
          `within 2 s of their recovery ${home2} and ${home3} should hold the write and no hints remain`,
        ).toBe(true);
      },
      { seeds: 3 },
    );
  });

  test("anti-entropy repairs a replica that missed writes, and deleted keys stay deleted", () => {
    forEachSeed(
      (seed) => {
        const nodes3 = ["n1", "n2", "n3"];
        const { simulation, nodes, operations } = buildCluster(seed, "tombstones", {
          nodes: nodes3,
          n: 3,
          r: 1,
          w: 2,
          sloppy: false,
          antiEntropyMs: 100,
        });
        simulation.act<QuorumClient>("c1", "put x", (c) => c.put("n1", "x", "old"));
        simulation.runFor(300); // anti-entropy spreads x=old to every replica
        simulation.isolate("n3");
        simulation.act<QuorumClient>("c1", "delete x", (c) => c.put("n1", "x", null));
        simulation.runFor(100);
        simulation.act<QuorumClient>("c1", "put y", (c) => c.put("n1", "y", "new"));
        simulation.runFor(100);
        expect(
          operations.map((operation) => operation.ok),
          "the writes should succeed on n1 and n2",
        ).toEqual([true, true, true]);
        simulation.heal();
        simulation.runFor(1_500);
        for (const id of nodes3) {
          expect(
            nodes.node(id)!.record("x")?.value,
            `${id}: x was deleted; n3's old copy must not bring it back`,
          ).toBeNull();
          expect(
            nodes.node(id)!.record("y")?.value,
            `${id}: anti-entropy should bring y to every replica`,
          ).toBe("new");
        }
      },
      { seeds: 3 },
    );
  });

  test("anti-entropy sends hashes in proportion to tree depth times differing leaves, not to the number of keys", () => {
    forEachSeed(
      (seed) => {
        const count: AntiEntropyCount = { hashes: 0, records: 0 };
        const treeDepth = 6;
        const keys = Array.from({ length: 500 }, (_, index) => `key-${index}`);
        const { simulation, nodes } = buildCluster(
          seed,
          "merkle",
          { nodes: ["n1", "n2"], n: 2, r: 1, w: 2, sloppy: false, antiEntropyMs: 1_000, treeDepth },
          ["c1"],
          count,
        );
        simulation.addNodes(["loader"], (context) => new ProbeNode(context));
        simulation.act<ProbeNode>("loader", "load 500 keys on both", (loader) => {
          for (const [index, key] of keys.entries())
            for (const id of ["n1", "n2"])
              loader.send(id, { type: "store", requestId: index, key, record: record("same", 1) });
          loader.send("n2", {
            type: "store",
            requestId: 9_999,
            key: "key-42",
            record: record("newer", 2),
          });
        });
        // An exchange that starts while the 1,001 stores are still landing sees hundreds of
        // differing leaves. So: let them land (links take at most 20 ms), then restart both
        // replicas from what they stored, with fresh timers, and count from there.
        simulation.runFor(25);
        for (const id of ["n1", "n2"]) simulation.crash(id);
        simulation.runFor(25); // whatever an early exchange still had in flight is dropped
        for (const id of ["n1", "n2"]) simulation.restart(id);
        count.hashes = 0;
        count.records = 0;
        simulation.runFor(2_100); // each node starts about two exchanges
        expect(
          nodes.node("n1")!.record("key-42"),
          "anti-entropy should bring n2's newer key-42 to n1",
        ).toEqual(record("newer", 2));
        const exchanges = 4;
        const hashesMax = exchanges * (1 + 2 * treeDepth);
        expect(
          count.hashes,
          `one key of 500 differs: each of about ${exchanges} exchanges walks one path of a depth-${treeDepth} tree, at most 1 + 2 × ${treeDepth} hashes, so at most ${hashesMax} in all`,
        ).toBeLessThanOrEqual(hashesMax);
        expect(
          count.records,
          "only the records of the one differing leaf (about 500 / 64 keys, both ways) should be sent",
        ).toBeLessThanOrEqual(60);
      },
      { seeds: 2 },
    );
  });
});

/** The completed reads that returned an older version than a write completed before they began. */
function staleReads(operations: readonly QuorumOperation[]): string[] {
  const stale: string[] = [];
  const puts = operations.filter((operation) => operation.kind === "put" && operation.ok === true);
  for (const read of operations.filter(
    (operation) => operation.kind === "get" && operation.ok === true,
  )) {
    for (const put of puts) {
      if (put.key !== read.key || put.returnMs >= read.callMs || put.version! <= read.version!)
        continue;
      stale.push(
        `${read.client} read ${read.key} at t=${read.callMs}ms and got version ${read.version} (${JSON.stringify(read.value)}), but ${put.client}'s write of version ${put.version} (${JSON.stringify(put.value)}) had completed at t=${put.returnMs}ms`,
      );
      break;
    }
  }
  return stale;
}

/** Clients issue random puts, deletes and gets through random coordinators. */
function runWorkload(
  cluster: ReturnType<typeof buildCluster>,
  random: Random,
  durationMs: number,
): void {
  const { simulation, nodeIds, clientGroup } = cluster;
  const keys = ["a", "b", "c"];
  for (let timeMs = 10; timeMs < durationMs; timeMs += 15) {
    simulation.at(timeMs, "clients act", () => {
      for (const id of clientGroup.ids) {
        const client = clientGroup.node(id)!;
        if (client.busy) continue;
        const coordinator = nodeIds[random.int(0, nodeIds.length - 1)]!;
        if (!simulation.isUp(coordinator)) continue;
        const key = keys[random.int(0, keys.length - 1)]!;
        const draw = random.next();
        simulation.act<QuorumClient>(id, "request", (c) =>
          draw < 0.5
            ? c.get(coordinator, key)
            : c.put(coordinator, key, draw < 0.9 ? `${id}@${timeMs}` : null),
        );
      }
    });
  }
}

describe("4.4 leaderless quorums: quorums under faults", () => {
  test("with R + W greater than N and strict quorums, a read that starts after a write completed returns it or newer", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(
          seed,
          "R + W > N",
          { n: 3, r: 2, w: 2, sloppy: false, antiEntropyMs: 200 },
          ["c1", "c2", "c3"],
        );
        const { simulation, nodeIds, operations } = cluster;
        simulation.setNetwork({ lossRate: 0.05, duplicateRate: 0.05 });
        const random = new Random(seed, "workload");
        runWorkload(cluster, random, 3_000);
        for (let round = 0; round < 5; round++) {
          simulation.at(200 + round * 550, "crash one node", () => {
            const victim = nodeIds[random.int(0, nodeIds.length - 1)]!;
            simulation.crash(victim);
            simulation.after(300, `restart ${victim}`, () => simulation.restart(victim));
          });
        }
        simulation.runFor(3_500);
        expect(
          operations.filter((operation) => operation.kind === "get" && operation.ok).length,
          "reads should succeed",
        ).toBeGreaterThan(10);
        expect(
          staleReads(operations),
          "R + W > N: every read quorum overlaps every write quorum",
        ).toEqual([]);
      },
      { seeds: 5 },
    );
  });

  test("demonstration: with R + W ≤ N a read can miss a completed write", () => {
    let stale = 0;
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(
          seed,
          "R + W <= N",
          { n: 3, r: 1, w: 1, sloppy: false, antiEntropyMs: 0 },
          ["c1", "c2", "c3"],
        );
        runWorkload(cluster, new Random(seed, "workload"), 2_000);
        cluster.simulation.runFor(2_500);
        stale += staleReads(cluster.operations).length;
      },
      { seeds: 3 },
    );
    expect(
      stale,
      "R = 1, W = 1, N = 3: a read can ask a replica the write has not reached",
    ).toBeGreaterThan(0);
  });

  test.for([
    { n: 3, w: 1, r: 1, cluster: 4 },
    { n: 5, w: 2, r: 2, cluster: 6 },
    { n: 5, w: 1, r: 3, cluster: 6 },
  ])(
    "the stale-read rate with random replicas matches C(N−W, R)/C(N, R): N=$n W=$w R=$r",
    ({ n, w, r, cluster: size }) => {
      const expected = choose(n - w, r) / choose(n, r);
      let trials = 0;
      let staleCount = 0;
      forEachSeed(
        (seed) => {
          const nodeIds = Array.from({ length: size }, (_, index) => `n${index + 1}`);
          const simulation = new Simulation<LeaderlessMessage>({
            seed,
            name: "stale-read rate",
            network: { latencyMs: { min: 1, max: 20 } },
          });
          const nodes = simulation.addNodes(
            nodeIds,
            (context) =>
              new LeaderlessNode(context, {
                nodes: nodeIds,
                n,
                r,
                w,
                sloppy: false,
                antiEntropyMs: 0,
              }),
          );
          const probe = simulation
            .addNodes(["probe"], (context) => new ProbeNode(context))
            .node("probe")!;
          const random = new Random(seed, "which replicas");
          const keys = Array.from({ length: 150 }, (_, index) => `k${index}`);
          // Each key's write reaches exactly W of its N homes, chosen at random.
          simulation.act<ProbeNode>("probe", "write to W random homes", (node) => {
            for (const key of keys) {
              const homes = preferenceList(key, nodeIds, n).slice(0, n);
              for (let pick = 0; pick < w; pick++) {
                const home = homes.splice(random.int(0, homes.length - 1), 1)[0]!;
                node.send(home, { type: "store", requestId: 0, key, record: record("written", 1) });
              }
            }
          });
          simulation.runFor(100);
          // Then each key is read through the one node that is not among its homes.
          simulation.act<ProbeNode>("probe", "read every key", (node) => {
            keys.forEach((key, index) => {
              const coordinator = preferenceList(key, nodeIds, n)[n]!;
              node.send(coordinator, { type: "get", requestId: index + 1, key });
            });
          });
          simulation.runFor(500);
          const replies = probe.received.filter((each) => each.message.type === "get-reply");
          expect(replies.length, "every read should be answered").toBe(keys.length);
          trials += replies.length;
          staleCount += replies.filter(
            (each) => (each.message as { version: number }).version === 0,
          ).length;
          void nodes;
        },
        { seeds: 4 },
      );
      // The stated tolerance: four standard errors of a proportion over `trials` reads.
      const observed = staleCount / trials;
      const tolerance = 4 * Math.sqrt((expected * (1 - expected)) / trials);
      expect(
        Math.abs(observed - expected),
        `stale reads: ${staleCount} of ${trials} (${observed.toFixed(3)}); with R random replies of N, none holding the write has probability C(${n - w}, ${r})/C(${n}, ${r}) = ${expected.toFixed(3)}; allowed ±${tolerance.toFixed(3)}`,
      ).toBeLessThanOrEqual(tolerance);
    },
  );
});
