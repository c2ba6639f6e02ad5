import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { createRaftCluster } from "./raft-cluster.js";

// Exercise 2.2 — Raft leader election. Run: npm run workbook -- test 2.2
//
// Every test runs a simulated cluster of RaftNodes and checks, after every event: at most one
// leader per term, terms never decrease (even across restarts), one vote per node per term, and
// a node that sees a newer term becomes a follower in it. No test here proposes a command, so
// these tests pass before exercise 2.3 is begun. Defaults: election timeouts 150-300 ms,
// heartbeats every 50 ms, latency 1-10 ms.

describe("2.2 Raft leader election: electing a leader", () => {
  test("a leader is elected within a second, and every node agrees on its term", () => {
    forEachSeed((seed) => {
      const cluster = createRaftCluster({ seed, checks: "election" });
      const leader = cluster.waitForLeader(1_000);
      if (leader === undefined) {
        expect.fail(
          `within 1 s the three nodes should agree on one leader (one node leading, the others in its term with leaderId set to it); ${describeNodes(cluster)}`,
        );
      }
    });
  });

  test("a stable cluster keeps its leader and term", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "election" });
        const leader = cluster.waitForLeader(1_000);
        expect(leader, "a leader should be elected within 1 s").toBeDefined();
        const term = cluster.node(leader!).currentTerm;
        const changed = cluster.simulation.runUntil(
          () => cluster.ids.some((id) => cluster.node(id).currentTerm !== term),
          { withinMs: 2_000 },
        );
        if (changed) {
          expect.fail(
            `with no faults, ${leader}'s heartbeats should keep every follower from starting an election, but a term changed after ${leader} won term ${term}: ${describeNodes(cluster)}`,
          );
        }
        expect(cluster.agreedLeader(), "the leader after 2 quiet seconds").toBe(leader);
      },
      { seeds: 10 },
    );
  });

  test("a new leader is elected when the leader is cut off", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "election" });
        const oldLeader = cluster.waitForLeader(1_000)!;
        expect(oldLeader, "a leader should be elected within 1 s").toBeDefined();
        const oldTerm = cluster.node(oldLeader).currentTerm;
        cluster.simulation.isolate(oldLeader);
        const others = cluster.ids.filter((id) => id !== oldLeader);
        const newLeader = cluster.waitForLeader(2_000, others);
        if (newLeader === undefined) {
          expect.fail(
            `with ${oldLeader} cut off, ${others.join(" and ")} are a majority and should elect one of themselves within 2 s; ${describeNodes(cluster)}`,
          );
        }
        expect(
          cluster.node(newLeader).currentTerm,
          `the new leader's term should be later than ${oldLeader}'s term ${oldTerm}`,
        ).toBeGreaterThan(oldTerm);
      },
      { seeds: 10 },
    );
  });

  test("a new leader is elected when the leader crashes, and the restarted node follows it", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "election" });
        const oldLeader = cluster.waitForLeader(1_000)!;
        expect(oldLeader, "a leader should be elected within 1 s").toBeDefined();
        cluster.simulation.crash(oldLeader);
        const newLeader = cluster.waitForLeader(2_000, cluster.nodes.liveIds());
        if (newLeader === undefined) {
          expect.fail(
            `after ${oldLeader} crashed, the other two should elect a leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
        cluster.simulation.restart(oldLeader);
        const leaderAfterRestart = cluster.waitForLeader(1_000);
        if (leaderAfterRestart === undefined) {
          expect.fail(
            `after ${oldLeader} restarted, all three should agree on a leader within 1 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });

  test("no leader is elected without a majority", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, size: 5, checks: "election" });
        const leader = cluster.waitForLeader(1_000)!;
        expect(leader, "a leader should be elected within 1 s").toBeDefined();
        const random = new Random(seed, "faults");
        const down = [
          leader,
          ...random.shuffle(cluster.ids.filter((id) => id !== leader)).slice(0, 2),
        ];
        for (const id of down) cluster.simulation.crash(id);
        const elected = cluster.simulation.runUntil(() => cluster.leaders().length > 0, {
          withinMs: 2_000,
        });
        if (elected) {
          expect.fail(
            `with ${down.join(", ")} crashed, the two nodes left are no majority of five and must not elect a leader, but ${cluster.leaders()[0]} became leader; ${describeNodes(cluster)}`,
          );
        }
        cluster.simulation.restart(down[1]!);
        const newLeader = cluster.waitForLeader(2_000, cluster.nodes.liveIds());
        if (newLeader === undefined) {
          expect.fail(
            `once ${down[1]} restarted, three of five nodes are up and should elect a leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });

  test("an old leader that rejoins steps down", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "election" });
        const oldLeader = cluster.waitForLeader(1_000)!;
        expect(oldLeader, "a leader should be elected within 1 s").toBeDefined();
        cluster.simulation.isolate(oldLeader);
        const newLeader = cluster.waitForLeader(
          2_000,
          cluster.ids.filter((id) => id !== oldLeader),
        );
        expect(
          newLeader,
          `the others should elect a new leader while ${oldLeader} is cut off`,
        ).toBeDefined();
        expect(
          cluster.node(oldLeader).role,
          `${oldLeader}, cut off, cannot know it lost: it still believes it leads its old term`,
        ).toBe("leader");
        cluster.simulation.heal();
        const agreed = cluster.waitForLeader(2_000);
        if (agreed === undefined || cluster.node(oldLeader).role !== "follower") {
          expect.fail(
            `once the network healed, ${oldLeader} should hear the newer term, step down, and all three agree on one leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });

  test("a leader or candidate that sees a newer term steps down to follower", () => {
    forEachSeed(
      (seed) => {
        // Cutting off whoever leads, over and over, makes stale leaders and candidates meet newer
        // terms; the check after every event does the rest.
        const cluster = createRaftCluster({ seed, size: 5, checks: "election" });
        const random = new Random(seed, "faults");
        for (let round = 0; round < 5; round++) {
          cluster.simulation.runFor(random.int(200, 500));
          const leader = cluster.leaders()[0];
          if (leader !== undefined) cluster.simulation.isolate(leader);
          cluster.simulation.runFor(random.int(200, 500));
          cluster.simulation.heal();
        }
        const leader = cluster.waitForLeader(2_000);
        if (leader === undefined) {
          expect.fail(
            `after the network healed, the five nodes should agree on one leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });
});

describe("2.2 Raft leader election: safety under faults", () => {
  test("at most one leader per term under random partitions", () => {
    forEachSeed((seed) => {
      const cluster = createRaftCluster({
        seed,
        size: 5,
        name: "raft election under partitions",
        checks: "election",
        network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.05, duplicateRate: 0.05 },
        clocks: { driftPpmMax: 100 },
      });
      const random = new Random(seed, "faults");
      for (let round = 0; round < 10; round++) {
        const shuffled = random.shuffle(cluster.ids);
        const cut = random.int(0, 3);
        if (cut === 0) cluster.simulation.heal();
        else cluster.simulation.partition(shuffled.slice(0, cut), shuffled.slice(cut));
        cluster.simulation.runFor(random.int(100, 600));
      }
      cluster.simulation.heal();
      cluster.simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
      const leader = cluster.waitForLeader(2_000);
      if (leader === undefined) {
        expect.fail(
          `once the network healed, the five nodes should agree on one leader within 2 s; ${describeNodes(cluster)}`,
        );
      }
    });
  });

  test("a node votes for at most one candidate per term", () => {
    forEachSeed(
      (seed) => {
        // n1 and n2 time out together and cannot hear each other; n3 hears both and must choose.
        const cluster = createRaftCluster({
          seed,
          checks: "election",
          raftOptions: (id) => ({
            electionTimeoutMs: id === "n3" ? { min: 5_000, max: 5_000 } : { min: 200, max: 200 },
          }),
        });
        cluster.simulation.cut("n1", "n2");
        cluster.simulation.cut("n2", "n1");
        cluster.simulation.runFor(300);
        const leaders = cluster.leaders();
        expect(
          leaders.length,
          `n1 and n2 both stood for term 1 and only n3 could give either a majority: exactly one should lead (leaders: ${leaders.join(", ") || "none"})`,
        ).toBe(1);
        expect(cluster.node("n3").votedFor, "n3's vote should have gone to the one leader").toBe(
          leaders[0],
        );
      },
      { seeds: 10 },
    );
  });

  test("a restarted node remembers its vote and cannot vote twice in a term", () => {
    forEachSeed(
      (seed) => {
        // n1 and n2 stand for term 1 together and cannot hear each other. n1's request reaches n3
        // fast and n2's slowly; n3 votes for n1, then crashes and restarts before n2's arrives.
        const cluster = createRaftCluster({
          seed,
          checks: "election",
          raftOptions: (id) => ({
            electionTimeoutMs: id === "n3" ? { min: 5_000, max: 5_000 } : { min: 200, max: 200 },
          }),
        });
        cluster.simulation.cut("n1", "n2");
        cluster.simulation.cut("n2", "n1");
        cluster.simulation.setLink("n1", "n3", { latencyMs: { min: 5, max: 5 } });
        cluster.simulation.setLink("n2", "n3", { latencyMs: { min: 60, max: 60 } });
        cluster.simulation.at(220, "crash n3", () => cluster.simulation.crash("n3"));
        cluster.simulation.at(230, "restart n3", () => cluster.simulation.restart("n3"));
        cluster.simulation.runFor(255);
        expect(cluster.node("n1").role, "n1 should have won term 1 with n3's vote").toBe("leader");
        expect(
          cluster.node("n3").votedFor,
          "n3 restarted after voting for n1 in term 1: it must read its vote back from storage",
        ).toBe("n1");
        cluster.simulation.runFor(100);
        expect(
          cluster.node("n2").role,
          "n2's request for term 1 reached n3 after its restart: n3 must refuse it, having voted for n1",
        ).not.toBe("leader");
      },
      { seeds: 10 },
    );
  });

  test("a node's term never decreases, even across restarts", () => {
    forEachSeed(
      (seed) => {
        // Nodes crash and restart at random; the check after every event compares each node's term
        // with the highest it ever had.
        const cluster = createRaftCluster({ seed, size: 5, checks: "election" });
        const random = new Random(seed, "faults");
        for (let round = 0; round < 20; round++) {
          cluster.simulation.runFor(random.int(50, 300));
          const id = random.pick(cluster.ids);
          if (cluster.simulation.isUp(id)) {
            if (cluster.nodes.liveIds().length > 3) cluster.simulation.crash(id);
          } else {
            cluster.simulation.restart(id);
          }
        }
        for (const id of cluster.ids) {
          if (!cluster.simulation.isUp(id)) cluster.simulation.restart(id);
        }
        const leader = cluster.waitForLeader(2_000);
        if (leader === undefined) {
          expect.fail(
            `with every node restarted, the five should agree on one leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });
});

describe("2.2 Raft leader election: timing and efficiency", () => {
  test("nodes started together still elect a leader: election timeouts are randomized", () => {
    forEachSeed((seed) => {
      // Five nodes, started at the same instant, with clocks that do not drift: if every node
      // waited the same time, all would stand at once, vote for themselves, and split every vote.
      const cluster = createRaftCluster({ seed, size: 5, checks: "election" });
      const leader = cluster.waitForLeader(2_000);
      if (leader === undefined) {
        expect.fail(
          `five nodes started together should elect a leader within 2 s; without a random election timeout they all stand at once and split the vote, term after term; ${describeNodes(cluster)}`,
        );
      }
    });
  });

  test("an election takes few RequestVote messages", () => {
    forEachSeed((seed) => {
      const cluster = createRaftCluster({ seed, checks: "election" });
      const leader = cluster.waitForLeader(1_000);
      expect(leader, "a leader should be elected within 1 s").toBeDefined();
      // One candidate asks two peers; a rare split vote costs one more round or two.
      expect(
        cluster.counts.RequestVote,
        "RequestVote messages sent to elect the first leader of three nodes (a candidate asks each peer once per election)",
      ).toBeLessThanOrEqual(8);
    });
  });

  test("an idle leader sends each follower between 5 and 25 heartbeats a second", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "election" });
        const leader = cluster.waitForLeader(1_000)!;
        expect(leader, "a leader should be elected within 1 s").toBeDefined();
        cluster.resetCounts();
        cluster.simulation.runFor(2_000);
        for (const follower of cluster.ids.filter((id) => id !== leader)) {
          const perSecond = (cluster.counts.appendEntriesTo.get(follower) ?? 0) / 2;
          expect(
            perSecond,
            `AppendEntries per second from idle leader ${leader} to ${follower}: at least 5, to arrive well within the 150 ms election timeout; at most 25, to keep an idle cluster quiet`,
          ).toBeGreaterThanOrEqual(5);
          expect(
            perSecond,
            `AppendEntries per second from idle leader ${leader} to ${follower}: at most 25 (every 50 ms is 20), to keep an idle cluster quiet`,
          ).toBeLessThanOrEqual(25);
        }
      },
      { seeds: 10 },
    );
  });

  test("heartbeats from a leader of an old term do not hold off an election", () => {
    forEachSeed(
      (seed) => {
        // n1 leads term 1, then loses the others; they elect a new leader. n1 can still send to
        // them but hears nothing back, so it never learns its term is over and keeps sending
        // heartbeats of term 1. When the new leader crashes, the three left must still elect.
        const cluster = createRaftCluster({
          seed,
          size: 5,
          checks: "election",
          raftOptions: (id) => (id === "n1" ? { electionTimeoutMs: { min: 100, max: 100 } } : {}),
        });
        const first = cluster.waitForLeader(1_000);
        expect(first, "n1, with the shortest election timeout, should lead first").toBe("n1");
        cluster.simulation.isolate("n1");
        const others = ["n2", "n3", "n4", "n5"];
        const second = cluster.waitForLeader(2_000, others);
        expect(second, "n2 to n5 should elect a leader while n1 is cut off").toBeDefined();
        cluster.simulation.heal();
        for (const id of others) cluster.simulation.cut(id, "n1");
        cluster.simulation.crash(second!);
        const remaining = others.filter((id) => id !== second);
        const third = cluster.waitForLeader(1_500, remaining);
        if (third === undefined) {
          expect.fail(
            `${remaining.join(", ")} are a majority of five and should elect a leader within 1.5 s, even while n1, leader of an older term, ` +
              `keeps sending them heartbeats: a heartbeat from an older term must be refused, and must not reset the election timer; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 10 },
    );
  });
});

/** One line per node for failure messages: role, term, vote and leader. */
function describeNodes(cluster: ReturnType<typeof createRaftCluster>): string {
  const lines = cluster.ids.map((id) => {
    if (!cluster.simulation.isUp(id)) return `${id}: crashed`;
    const node = cluster.node(id);
    return `${id}: ${node.role} in term ${node.currentTerm}, voted for ${node.votedFor ?? "nobody"}, leader ${node.leaderId ?? "unknown"}`;
  });
  return `the nodes at t=${cluster.simulation.nowMs} ms:\n  ${lines.join("\n  ")}`;
}
