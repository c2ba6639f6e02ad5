import { describe, expect, test } from "vitest";
import { forEachSeed, Simulation, type NodeId } from "../../harness/testing.js";
import { ProbeNode, buildCluster } from "./single-leader-checks.js";
import type { LogEntry, ReplicationMode, SingleLeaderMessage } from "./single-leader-protocol.js";
import { ReplicaNode } from "./single-leader.js";

// Exercise 4.1 — single-leader replication with failover. Run: npm run workbook -- test 4.1

const write = (epoch: number, client: NodeId, sequence: number, value: string): LogEntry => ({
  epoch,
  kind: "write",
  client,
  sequence,
  operation: { kind: "append", key: "x", value },
});

/**
 * One real replica, n1, among probes: "config" plays the configuration service, p1 and p2 play
 * the other replicas (leader or followers), c plays a client. Each rule is tested by itself.
 */
function withProbes(seed: number, name: string, mode: ReplicationMode = "synchronous") {
  const simulation = new Simulation<SingleLeaderMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 5 } },
  });
  const probes = simulation.addNodes(
    ["config", "p1", "p2", "c"],
    (context) => new ProbeNode(context),
  );
  const nodes = simulation.addNodes(
    ["n1"],
    (context) =>
      new ReplicaNode(context, { mode, configService: "config", replicas: ["n1", "p1", "p2"] }),
  );
  const probe = (id: NodeId) => probes.node(id)!;
  const n1 = () => nodes.node("n1")!;
  const send = (from: NodeId, message: SingleLeaderMessage): void => {
    simulation.act<ProbeNode>(from, `${from} sends ${message.type} → n1`, (node) =>
      node.send("n1", message),
    );
    simulation.runFor(20);
  };
  /** The configuration service names `leader` for `epoch` and grants leases to its heartbeats. */
  const configSays = (epoch: number, leader: NodeId): void => {
    probe("config").answer = (_, message) =>
      message.type === "heartbeat"
        ? { type: "epoch", epoch, leader, echoMs: message.sentAtMs }
        : undefined;
    send("config", { type: "epoch", epoch, leader });
  };
  /** p1 and p2 acknowledge every append (as if they held everything it carried), or not. */
  const followersAcknowledge = (...followers: NodeId[]): void => {
    for (const id of ["p1", "p2"])
      probe(id).answer = followers.includes(id)
        ? (_, message) =>
            message.type === "append"
              ? {
                  type: "append-reply",
                  epoch: message.epoch,
                  ok: true,
                  matchIndex: message.prevIndex + message.entries.length,
                }
              : undefined
        : undefined;
  };
  const repliesTo = (id: NodeId, type: "append-reply" | "reply") =>
    probe(id)
      .received.filter((received) => received.message.type === type)
      .map((received) => received.message);
  const okRepliesToClient = (sequence: number) =>
    repliesTo("c", "reply").filter(
      (message) =>
        message.type === "reply" && message.sequence === sequence && message.status === "ok",
    );
  return {
    simulation,
    n1,
    probe,
    send,
    configSays,
    followersAcknowledge,
    repliesTo,
    okRepliesToClient,
  };
}

describe("4.1 single-leader replication: a follower's rules", () => {
  test("a follower refuses an append from an older epoch and answers with its own", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays, repliesTo } = withProbes(seed, "fencing");
        configSays(2, "p1");
        expect(n1().epoch, "the configuration service said epoch 2").toBe(2);
        send("p2", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(1, "c", 1, "stale")],
          commitIndex: 1,
        });
        expect(
          n1().log,
          "n1 knows epoch 2, so an append from epoch 1 (a deposed leader) must change nothing",
        ).toEqual([]);
        expect(n1().commitIndex, "nor move the commit index").toBe(0);
        expect(
          repliesTo("p2", "append-reply"),
          "n1 should tell the deposed leader that epoch 2 has begun, so it steps down",
        ).toContainEqual(expect.objectContaining({ type: "append-reply", ok: false, epoch: 2 }));
      },
      { seeds: 3 },
    );
  });

  test("a follower answers a client with not-leader and the leader's name, never from its own copy", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays, repliesTo } = withProbes(seed, "follower reads");
        configSays(2, "p1");
        send("p1", {
          type: "append",
          epoch: 2,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(2, "c", 1, "committed")],
          commitIndex: 1,
        });
        expect(n1().read("x")?.value, "n1 applied the committed write").toBe("committed");
        send("c", { type: "read", sequence: 7, key: "x" });
        const replies = repliesTo("c", "reply");
        expect(
          replies,
          "a follower's copy may be behind the leader's: a read there is not linearizable, so n1 must send the client to p1",
        ).toEqual([{ type: "reply", sequence: 7, status: "not-leader", leaderHint: "p1" }]);
      },
      { seeds: 3 },
    );
  });

  test("a replica adopts a newer epoch at once and never goes back to an older one", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays } = withProbes(seed, "epochs only grow");
        configSays(3, "p1");
        send("config", { type: "epoch", epoch: 2, leader: "n1" });
        expect(
          n1().epoch,
          "a late message naming n1 leader of epoch 2 must not take n1 back from epoch 3",
        ).toBe(3);
        expect(n1().leader, "n1 should still follow p1, epoch 3's leader").toBe("p1");
        expect(n1().serving, "n1 does not lead epoch 3, so it must not serve").toBe(false);
        send("p2", {
          type: "append",
          epoch: 4,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [],
          commitIndex: 0,
        });
        expect(n1().epoch, "an append from epoch 4 means epoch 4 has begun").toBe(4);
        expect(n1().leader, "and that its sender leads it").toBe("p2");
      },
      { seeds: 3 },
    );
  });

  test("a follower never leaves a gap: an append that does not fit after its log is refused", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays, repliesTo } = withProbes(seed, "no gaps");
        configSays(1, "p1");
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 2,
          prevEpoch: 1,
          entries: [write(1, "c", 3, "c")],
          commitIndex: 0,
        });
        expect(
          n1().log,
          "n1's log is empty; an entry for index 3 would leave a gap at 1 and 2",
        ).toEqual([]);
        expect(
          repliesTo("p1", "append-reply"),
          "the leader should hear that n1 holds 0 entries",
        ).toContainEqual({
          type: "append-reply",
          epoch: 1,
          ok: false,
          matchIndex: 0,
        });
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(1, "c", 1, "a"), write(1, "c", 2, "b")],
          commitIndex: 0,
        });
        expect(n1().log.length, "an append after index 0 fits").toBe(2);
      },
      { seeds: 3 },
    );
  });

  test("a follower drops entries that conflict with the new leader's and keeps those that match", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays } = withProbes(seed, "conflicts");
        configSays(1, "p1");
        const first = [write(1, "c", 1, "a"), write(1, "c", 2, "b"), write(1, "c", 3, "c")];
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: first,
          commitIndex: 1,
        });
        configSays(2, "p2");
        const replacement = write(2, "c", 4, "d");
        send("p2", {
          type: "append",
          epoch: 2,
          prevIndex: 1,
          prevEpoch: 1,
          entries: [replacement],
          commitIndex: 1,
        });
        expect(
          n1().log,
          "epoch 2's leader has a different entry 2: entries 2 and 3 from epoch 1 must go",
        ).toEqual([first[0], replacement]);
        // A duplicated, shorter append of the same epoch arrives late: nothing may be lost.
        send("p2", {
          type: "append",
          epoch: 2,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [first[0]!],
          commitIndex: 1,
        });
        expect(
          n1().log,
          "a late, shorter append whose entries n1 already holds must not truncate the log",
        ).toEqual([first[0], replacement]);
        const misplaced = write(2, "c", 5, "e");
        send("p2", {
          type: "append",
          epoch: 2,
          prevIndex: 2,
          prevEpoch: 1,
          entries: [misplaced],
          commitIndex: 1,
        });
        expect(
          n1().log,
          "n1's entry 2 is from epoch 2, not 1: an append after (2, epoch 1) does not fit and must not be added",
        ).not.toContainEqual(misplaced);
      },
      { seeds: 3 },
    );
  });

  test("a follower's commit index never goes backwards and never passes what it holds", () => {
    forEachSeed(
      (seed) => {
        const { n1, send, configSays } = withProbes(seed, "commit index");
        configSays(1, "p1");
        const entries = [write(1, "c", 1, "a"), write(1, "c", 2, "b"), write(1, "c", 3, "c")];
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: entries.slice(0, 2),
          commitIndex: 9,
        });
        expect(
          n1().commitIndex,
          "the leader has committed 9 entries, but n1 holds only 2 from this append",
        ).toBe(2);
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 2,
          prevEpoch: 1,
          entries: entries.slice(2),
          commitIndex: 3,
        });
        expect(n1().commitIndex).toBe(3);
        expect(n1().read("x"), "n1 should apply the three committed appends in order").toEqual({
          value: "abc",
          version: 3,
        });
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: entries.slice(0, 1),
          commitIndex: 1,
        });
        expect(
          n1().commitIndex,
          "a late append carrying commit index 1 must not lower n1's commit index from 3",
        ).toBe(3);
      },
      { seeds: 3 },
    );
  });

  test("a replica keeps its epoch and log across a crash and restart", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, send, configSays } = withProbes(seed, "durable");
        configSays(2, "p1");
        send("p1", {
          type: "append",
          epoch: 2,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(2, "c", 1, "a")],
          commitIndex: 0,
        });
        simulation.crash("n1");
        simulation.restart("n1");
        expect(
          n1().epoch,
          "n1 knew epoch 2 before it crashed; forgetting it would let a deposed leader back in",
        ).toBe(2);
        expect(n1().log, "n1's log must survive its crash").toEqual([write(2, "c", 1, "a")]);
        send("p2", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(1, "c", 9, "z")],
          commitIndex: 1,
        });
        expect(n1().log, "after its restart n1 must still refuse epoch 1").toEqual([
          write(2, "c", 1, "a"),
        ]);
      },
      { seeds: 3 },
    );
  });
});

describe("4.1 single-leader replication: the leader's rules", () => {
  test("synchronous: the leader acknowledges a write only once every follower holds it", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, send, configSays, followersAcknowledge, okRepliesToClient } =
          withProbes(seed, "synchronous");
        followersAcknowledge("p1", "p2");
        configSays(1, "n1");
        simulation.runFor(50);
        followersAcknowledge("p1");
        send("c", { type: "write", sequence: 1, operation: { kind: "put", key: "x", value: "1" } });
        simulation.runFor(100);
        expect(
          okRepliesToClient(1),
          "only p1 holds the write; in synchronous mode p2 must hold it too before the client hears ok",
        ).toEqual([]);
        followersAcknowledge("p1", "p2");
        simulation.runFor(100);
        expect(
          okRepliesToClient(1).length,
          "both followers hold the write now: the client should hear ok",
        ).toBeGreaterThan(0);
        expect(n1().read("x")?.value).toBe("1");
      },
      { seeds: 3 },
    );
  });

  test("semi-synchronous waits for one follower; asynchronous for none", () => {
    forEachSeed(
      (seed) => {
        const semi = withProbes(seed, "semi-synchronous", "semi-synchronous");
        semi.configSays(1, "n1");
        semi.simulation.runFor(50);
        semi.send("c", {
          type: "write",
          sequence: 1,
          operation: { kind: "put", key: "x", value: "1" },
        });
        semi.simulation.runFor(100);
        expect(
          semi.okRepliesToClient(1),
          "semi-synchronous: no follower holds the write yet, so no ok",
        ).toEqual([]);
        semi.followersAcknowledge("p2");
        semi.simulation.runFor(100);
        expect(
          semi.okRepliesToClient(1).length,
          "semi-synchronous: p2 holds it, which is enough",
        ).toBeGreaterThan(0);

        const async = withProbes(seed, "asynchronous", "asynchronous");
        async.configSays(1, "n1");
        async.simulation.runFor(50);
        async.send("c", {
          type: "write",
          sequence: 1,
          operation: { kind: "put", key: "x", value: "1" },
        });
        async.simulation.runFor(50);
        expect(
          async.okRepliesToClient(1).length,
          "asynchronous: the leader acknowledges once the write is in its own log",
        ).toBeGreaterThan(0);
      },
      { seeds: 3 },
    );
  });

  test("a leader serves only while its lease holds", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, probe, send, configSays, followersAcknowledge, okRepliesToClient } =
          withProbes(seed, "lease", "asynchronous");
        followersAcknowledge("p1", "p2");
        send("config", { type: "epoch", epoch: 1, leader: "n1" });
        simulation.runFor(100);
        expect(
          n1().serving,
          "named leader without a lease (no heartbeat answered with echoMs): n1 must not serve yet",
        ).toBe(false);
        configSays(1, "n1");
        simulation.runFor(100);
        expect(
          n1().serving,
          "the service answers n1's heartbeats: n1 holds a lease and should serve",
        ).toBe(true);
        probe("config").answer = undefined; // The service stops renewing: n1 is cut off from it.
        simulation.runFor(400);
        expect(
          n1().serving,
          "400 ms without a renewal is longer than the 300 ms lease: n1 must stop serving",
        ).toBe(false);
        send("c", {
          type: "write",
          sequence: 1,
          operation: { kind: "put", key: "x", value: "late" },
        });
        send("c", { type: "read", sequence: 2, key: "x" });
        simulation.runFor(100);
        expect(
          [...okRepliesToClient(1), ...okRepliesToClient(2)],
          "a leader whose lease has run out may already have been replaced: it must not acknowledge a write or answer a read",
        ).toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("a new leader answers no read before the first entry of its epoch is committed", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, send, configSays, followersAcknowledge, okRepliesToClient } =
          withProbes(seed, "catch up first");
        configSays(1, "p1");
        send("p1", {
          type: "append",
          epoch: 1,
          prevIndex: 0,
          prevEpoch: 0,
          entries: [write(1, "c", 1, "a")],
          commitIndex: 0,
        });
        configSays(2, "n1");
        simulation.runFor(50);
        expect(
          n1().log.at(-1),
          "a new leader's first entry in its log is a noop of its epoch",
        ).toEqual({ epoch: 2, kind: "noop" });
        send("c", { type: "read", sequence: 1, key: "x" });
        simulation.runFor(100);
        expect(
          okRepliesToClient(1),
          "n1 leads epoch 2 but its followers hold nothing yet; the write of epoch 1 may have been acknowledged, so n1 must not answer a read before its noop is committed",
        ).toEqual([]);
        followersAcknowledge("p1", "p2");
        simulation.runFor(100);
        expect(
          okRepliesToClient(1),
          "once its noop is committed, the write of epoch 1 before it is too, and the read sees it",
        ).toContainEqual(expect.objectContaining({ status: "ok", value: "a", version: 1 }));
      },
      { seeds: 3 },
    );
  });

  test("a retried request goes in the log once and is applied once", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, send, configSays, followersAcknowledge, okRepliesToClient } =
          withProbes(seed, "retries");
        configSays(1, "n1");
        simulation.runFor(50);
        const request: SingleLeaderMessage = {
          type: "write",
          sequence: 1,
          operation: { kind: "append", key: "x", value: "once " },
        };
        send("c", request);
        send("c", request); // The client timed out and resent before the write was committed.
        followersAcknowledge("p1", "p2");
        simulation.runFor(100);
        send("c", request); // A network duplicate, after the write was applied.
        const copies = n1().log.filter((entry) => entry.kind === "write");
        expect(
          copies.length,
          "the same request (c, 1) arrived three times; it must be in the log once",
        ).toBe(1);
        expect(n1().read("x")?.value, "and applied once").toBe("once ");
        expect(
          okRepliesToClient(1).length,
          "each copy that arrives after the write was applied should still be answered ok",
        ).toBeGreaterThan(0);
      },
      { seeds: 3 },
    );
  });

  test("a leader steps down when a follower answers from a newer epoch", () => {
    forEachSeed(
      (seed) => {
        const { simulation, n1, probe, configSays } = withProbes(seed, "step down");
        configSays(1, "n1");
        probe("p1").answer = (_, message) =>
          message.type === "append"
            ? { type: "append-reply", epoch: 5, ok: false, matchIndex: 0 }
            : undefined;
        simulation.runFor(100);
        expect(n1().epoch, "p1 knows epoch 5: n1 should adopt it").toBe(5);
        expect(n1().serving, "and stop serving as epoch 1's leader").toBe(false);
      },
      { seeds: 3 },
    );
  });
});

/** Every acknowledged append whose value is missing from the final value of its key. */
function lostWrites(cluster: ReturnType<typeof buildCluster>): string[] {
  const leader = cluster.servingReplica();
  if (leader === undefined)
    throw new Error("No replica serves at the end of the run, so nothing can be compared");
  const replica = cluster.replicas.node(leader)!;
  return cluster.history
    .acknowledgedWrites()
    .filter(
      (operation) =>
        !(replica.read(operation.input.key)?.value ?? "").includes(
          (operation.input as { value: string }).value,
        ),
    )
    .map(
      (operation) =>
        `${operation.client}'s append of "${(operation.input as { value: string }).value}" to ${operation.input.key}, acknowledged at t=${operation.returnMs}ms`,
    );
}

/** Crashes whichever replica serves, `times` times, restarting each after `downMs`. */
function crashLeaders(
  cluster: ReturnType<typeof buildCluster>,
  times: number,
  everyMs: number,
  downMs: number,
): void {
  const { simulation } = cluster;
  for (let round = 1; round <= times; round++) {
    simulation.at(round * everyMs, `crash the leader (round ${round})`, () => {
      const leader = cluster.servingReplica();
      if (leader === undefined) return;
      simulation.crash(leader);
      simulation.after(downMs, `restart ${leader}`, () => simulation.restart(leader));
    });
  }
}

function settle(cluster: ReturnType<typeof buildCluster>): void {
  const { simulation, clients, clientIds } = cluster;
  for (const id of clientIds)
    simulation.act<{ stopWorkload(): void }>(id, "stop", (client) => client.stopWorkload());
  simulation.heal();
  simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
  const settled = simulation.runUntil(
    () =>
      cluster.servingReplica() !== undefined && clientIds.every((id) => !clients.node(id)!.busy),
    { withinMs: 10_000 },
  );
  expect(
    settled,
    "after healing, a replica should serve again and every client's last request be answered within 10 s",
  ).toBe(true);
  simulation.runFor(300);
}

function startClients(cluster: ReturnType<typeof buildCluster>, readFraction: number): void {
  for (const id of cluster.clientIds)
    cluster.simulation.act<import("./leader-client.js").LeaderClient>(
      id,
      "start workload",
      (client) => client.startWorkload({ keys: ["x", "y"], readFraction }),
    );
}

describe("4.1 single-leader replication: failover", () => {
  test("synchronous: no acknowledged write is lost when leaders crash, with loss and duplication", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(seed, {
          mode: "synchronous",
          name: "synchronous failover",
          network: { latencyMs: { min: 1, max: 15 }, lossRate: 0.05, duplicateRate: 0.05 },
        });
        startClients(cluster, 0.2);
        crashLeaders(cluster, 3, 900, 250);
        cluster.simulation.runFor(3_500);
        settle(cluster);
        expect(
          cluster.history.acknowledgedWrites().length,
          "clients should have had writes acknowledged",
        ).toBeGreaterThan(5);
        expect(
          lostWrites(cluster),
          "every acknowledged write must be in the state of the leader after failover",
        ).toEqual([]);
      },
      { seeds: 5 },
    );
  });

  test("demonstration: asynchronous replication loses acknowledged writes at failover", () => {
    let lost = 0;
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(seed, {
          mode: "asynchronous",
          name: "asynchronous failover",
          committedEntriesAreFinal: false,
        });
        // The leader's links to its followers fail: it acknowledges writes it cannot ship.
        cluster.simulation.runFor(200);
        const leader = cluster.servingReplica()!;
        for (const id of cluster.replicaIds) if (id !== leader) cluster.simulation.cut(leader, id);
        startClients(cluster, 0);
        cluster.simulation.runFor(300);
        cluster.simulation.crash(leader);
        cluster.simulation.runFor(1_000);
        cluster.simulation.restart(leader);
        for (const id of cluster.replicaIds)
          if (id !== leader) cluster.simulation.repair(leader, id);
        settle(cluster);
        lost += lostWrites(cluster).length;
      },
      { seeds: 3 },
    );
    expect(
      lost,
      "asynchronous replication acknowledges writes the followers do not have yet; a failover loses them",
    ).toBeGreaterThan(0);
  });

  test("at most one replica serves at a time, even when the old leader is cut off from the configuration service", () => {
    forEachSeed(
      (seed) => {
        for (const mode of ["asynchronous", "synchronous"] as const) {
          const cluster = buildCluster(seed, {
            mode,
            name: `cut off (${mode})`,
            committedEntriesAreFinal: mode !== "asynchronous",
          });
          startClients(cluster, 0.3);
          cluster.simulation.runFor(300);
          const leader = cluster.servingReplica()!;
          // The old leader still reaches clients and followers, but not the configuration service.
          cluster.simulation.cut(leader, "config");
          cluster.simulation.cut("config", leader);
          cluster.simulation.runUntil(() => cluster.config.leader !== leader, { withinMs: 3_000 });
          expect(
            cluster.config.leader,
            `the configuration service should replace ${leader}, which it no longer hears`,
          ).not.toBe(leader);
          cluster.simulation.runFor(1_000);
          cluster.simulation.repair(leader, "config");
          cluster.simulation.repair("config", leader);
          settle(cluster);
          expect(
            cluster.history.check().linearizable,
            `${mode}: reads and writes through the leader should be linearizable`,
          ).toBe(true);
        }
      },
      { seeds: 5 },
    );
  });

  test("reads from the leader are linearizable under crashes, false suspicion and loss", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(seed, {
          mode: "synchronous",
          name: "linearizable",
          clients: ["c1", "c2", "c3"],
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.05, duplicateRate: 0.05 },
        });
        const { simulation } = cluster;
        startClients(cluster, 0.5);
        crashLeaders(cluster, 2, 1_200, 200);
        // False suspicion: the leader's heartbeats are slowed past the failover timeout.
        simulation.at(600, "slow the leader's heartbeats", () => {
          const leader = cluster.servingReplica();
          if (leader !== undefined)
            simulation.setLink(leader, "config", { latencyMs: { min: 500, max: 600 } });
        });
        simulation.at(1_100, "heartbeats fast again", () => {
          for (const id of cluster.replicaIds) simulation.clearLink(id, "config");
        });
        simulation.runFor(3_500);
        settle(cluster);
        const result = cluster.history.check();
        expect(result.linearizable, result.linearizable ? "" : result.explanation).toBe(true);
      },
      { seeds: 5 },
    );
  });

  test("replicas converge: after a follower crashes during catch-up and the network heals, every log matches", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(seed, {
          mode: "semi-synchronous",
          name: "catch up",
          replicas: ["n1", "n2", "n3", "n4"],
          network: { latencyMs: { min: 1, max: 15 }, lossRate: 0.1, duplicateRate: 0.05 },
        });
        const { simulation, replicas, replicaIds } = cluster;
        startClients(cluster, 0.2);
        simulation.runFor(300);
        const follower = replicaIds.find((id) => id !== cluster.servingReplica())!;
        simulation.isolate(follower);
        simulation.runFor(800); // It falls behind…
        simulation.heal();
        simulation.runFor(30); // …starts catching up…
        simulation.crash(follower); // …and crashes in the middle of it.
        simulation.runFor(300);
        simulation.restart(follower);
        simulation.runFor(500);
        settle(cluster);
        const leader = replicas.node(cluster.servingReplica()!)!;
        simulation.runFor(500);
        for (const id of replicaIds) {
          const replica = replicas.node(id)!;
          expect(
            replica.log,
            `${id}'s log should match the leader's after the network healed`,
          ).toEqual(leader.log);
          expect(replica.commitIndex, `${id} should know every entry is committed`).toBe(
            leader.log.length,
          );
          expect(
            replica.read("x"),
            `${id} should have applied the same writes as the leader`,
          ).toEqual(leader.read("x"));
        }
      },
      { seeds: 5 },
    );
  });

  test("under repeated leader crashes no client waits more than 5 s", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildCluster(seed, {
          mode: "synchronous",
          name: "waits",
          network: { latencyMs: { min: 1, max: 15 }, lossRate: 0.05 },
        });
        startClients(cluster, 0.3);
        crashLeaders(cluster, 5, 700, 150);
        cluster.simulation.runFor(4_500);
        settle(cluster);
        const slowest = Math.max(
          ...cluster.history.completed().map((operation) => operation.returnMs - operation.callMs),
        );
        expect(slowest, "the longest a client waited for an answer, in ms").toBeLessThanOrEqual(
          5_000,
        );
      },
      { seeds: 5 },
    );
  });
});
