import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { createRaftCluster } from "./raft-cluster.js";
import { appendEntries, probeRaft, requestVote, vote } from "./raft-probe.js";

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
          { withinMs: 10_000 },
        );
        if (changed) {
          expect.fail(
            `with no faults, ${leader}'s heartbeats should keep every follower from starting an election, but a term changed after ${leader} won term ${term}: ${describeNodes(cluster)}`,
          );
        }
        expect(cluster.agreedLeader(), "the leader after 10 quiet seconds").toBe(leader);
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

describe("2.2 Raft leader election: hostile schedules", () => {
  test("at most one leader per term when replies arrive later than an election timeout, in clusters of three to six", () => {
    forEachSeed(
      (seed) => {
        // Latency up to 400 ms, beyond the 150-300 ms election timeout: votes and replies
        // arrive terms after they were sent, and a node that counts a vote from an older term
        // shares a term with another leader.
        const size = 3 + (seed % 4);
        const cluster = createRaftCluster({
          seed,
          size,
          name: "raft election on slow links",
          checks: "election",
          network: { latencyMs: { min: 1, max: 400 }, lossRate: 0.05 },
        });
        cluster.simulation.runFor(10_000);
        cluster.simulation.setNetwork({ latencyMs: { min: 1, max: 10 }, lossRate: 0 });
        const leader = cluster.waitForLeader(3_000);
        if (leader === undefined) {
          expect.fail(
            `once links were fast again, the ${size} nodes should agree on one leader within 3 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 30 },
    );
  });

  test("at most one leader per term while nodes are clogged one by one and unclogged in random order", () => {
    forEachSeed(
      (seed) => {
        const size = 4 + (seed % 2);
        const random = new Random(seed, "clogging");
        const cluster = createRaftCluster({
          seed,
          size,
          name: "raft election under swizzle-clogging",
          checks: "election",
          network: { latencyMs: { min: 1, max: 10 } },
        });
        cluster.waitForLeader(1_000);
        for (let round = 0; round < 3; round++) {
          const link = random.chance(0.5)
            ? { latencyMs: { min: 300, max: 1_500 } }
            : { lossRate: 1 };
          cluster.swizzle(random, link, { min: 50, max: 600 });
        }
        const leader = cluster.waitForLeader(3_000);
        if (leader === undefined) {
          expect.fail(
            `once every node was unclogged, the ${size} nodes should agree on one leader within 3 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 24 },
    );
  });

  test("an election survives a crash at any step: each seed crashes a node at a different event", () => {
    forEachSeed(
      (seed) => {
        // Seed k crashes a node right after the (3k)th event of the run: over the default
        // seeds, crashes land at every stage of the first election, before, during and after
        // the votes, and at the first heartbeats.
        const size = 3 + (seed % 3);
        const random = new Random(seed, "crash step");
        const cluster = createRaftCluster({
          seed,
          size,
          name: "raft crash at a step",
          checks: "election",
        });
        const crashAtStep = 3 * seed;
        cluster.simulation.runUntil(() => cluster.simulation.steps >= crashAtStep, {
          withinMs: 2_000,
        });
        const victim = random.pick(cluster.ids);
        cluster.simulation.crash(victim);
        cluster.simulation.runFor(random.int(0, 400));
        cluster.simulation.restart(victim);
        const leader = cluster.waitForLeader(2_000);
        if (leader === undefined) {
          expect.fail(
            `${victim} crashed after event ${crashAtStep} and restarted; the ${size} nodes should then agree on one leader within 2 s; ${describeNodes(cluster)}`,
          );
        }
      },
      { seeds: 60 },
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

// ---------------------------------------------------------------- each rule on one node
//
// These tests run one real node, n1, among stand-ins (raft-probe.ts) that send it exactly the
// messages a test crafts, old and duplicated ones included, and keep everything it sends. Each
// names the rule of the paper's figure 2 it checks and fails when that rule alone is broken.

describe("2.2 Raft leader election: each rule of figure 2 on one node", () => {
  test("figure 2, RequestVote receiver rule 1: a vote request from an older term is refused", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "vote for an older term" });
        probe.follow("n2", 3, []);
        probe.send("n3", requestVote("n3", 2));
        expect(
          probe.lastTo("RequestVoteReply", "n3"),
          "n1 is in term 3; n3 asked for a vote in term 2: the reply must refuse it and carry term 3",
        ).toEqual(vote(3, false));
        expect(probe.node().votedFor, "n1's vote after refusing a term-2 request").toBeUndefined();
      },
      { seeds: 2 },
    );
  });

  test("figure 2, RequestVote receiver rule 2: one vote per term, and the same candidate asking again gets it again", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "one vote per term" });
        probe.send("n2", requestVote("n2", 1));
        expect(probe.lastTo("RequestVoteReply", "n2"), "n2 is the first to ask in term 1").toEqual(
          vote(1, true),
        );
        probe.send("n3", requestVote("n3", 1));
        expect(
          probe.lastTo("RequestVoteReply", "n3"),
          "n1 already voted for n2 in term 1, so n3 must be refused",
        ).toEqual(vote(1, false));
        probe.send("n2", requestVote("n2", 1));
        expect(
          probe.lastTo("RequestVoteReply", "n2"),
          "n2 asked again in term 1 (its first reply may have been lost): votedFor is n2, so grant it again",
        ).toEqual(vote(1, true));
        expect(probe.node().votedFor, "n1's vote in term 1").toBe("n2");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for all servers: a message of a newer term makes the node a follower in that term, with no vote yet", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "newer term" });
        probe.waitForCandidate();
        probe.send("n2", vote(5, false));
        expect(
          [probe.node().role, probe.node().currentTerm, probe.node().votedFor],
          "n1, a candidate in term 1, got a reply of term 5: it must become a follower in term 5 with no vote",
        ).toEqual(["follower", 5, undefined]);
        probe.send("n3", requestVote("n3", 5));
        expect(
          probe.lastTo("RequestVoteReply", "n3"),
          "n1 has no vote in term 5 yet, so n3's request for term 5 must be granted",
        ).toEqual(vote(5, true));
        const term = probe.elect();
        probe.send("n2", {
          type: "AppendEntriesReply",
          term: term + 1,
          success: false,
          matchIndex: 0,
          conflictTerm: 0,
          conflictIndex: 0,
        });
        expect(
          [probe.node().role, probe.node().currentTerm],
          `n1, leader of term ${term}, got an AppendEntriesReply of term ${term + 1}: it must follow in that term`,
        ).toEqual(["follower", term + 1]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 1: an AppendEntries from an older term is refused and does not reset the election timer", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "heartbeats of an older term" });
        probe.follow("n2", 1, []);
        probe.send("n3", vote(5, false)); // n1 learns of term 5; its timer keeps running
        const startedMs = probe.simulation.nowMs;
        const sentBefore = probe.sent.length;
        probe.send("n2", appendEntries("n2", 1, 0, 0, [], 0));
        expect(
          probe.lastTo("AppendEntriesReply", "n2", sentBefore),
          "n1 is in term 5: an AppendEntries of term 1 must be refused with term 5",
        ).toMatchObject({ type: "AppendEntriesReply", term: 5, success: false });
        expect(probe.node().leaderId, "n1 must not follow a leader of an older term").not.toBe(
          "n2",
        );
        for (let beat = 0; beat < 30; beat++) {
          probe.simulation.runFor(97);
          if (probe.node().role === "candidate") break;
          probe.send("n2", appendEntries("n2", 1, 0, 0, [], 0));
        }
        expect(
          probe.node().role,
          `n2, leader of the old term 1, sent n1 heartbeats every 100 ms for ${probe.simulation.nowMs - startedMs} ms: they must not reset n1's election timer (at most ${probe.electionTimeoutMs.max} ms)`,
        ).toBe("candidate");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for followers: AppendEntries from the leader of the current term resets the election timer", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "heartbeats hold off an election" });
        for (let beat = 0; beat < 40; beat++) {
          probe.send("n2", appendEntries("n2", 1, 0, 0, [], 0));
          probe.simulation.runFor(97);
        }
        expect(
          [probe.node().role, probe.node().currentTerm, probe.node().leaderId],
          "n2, leader of term 1, sent n1 a heartbeat every 100 ms for 4 s: n1 should still follow it in term 1",
        ).toEqual(["follower", 1, "n2"]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for followers: granting a vote resets the election timer, refusing one does not", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "votes and the election timer" });
        for (let term = 1; term <= 5; term++) {
          probe.send("n2", requestVote("n2", term));
          probe.simulation.runFor(900);
        }
        expect(
          probe.node().role,
          "n1 granted n2 a vote every 900 ms, in terms 1 to 5: each grant resets its 1-2 s election timer, so it should not have stood",
        ).toBe("follower");
        const startedMs = probe.simulation.nowMs;
        for (let ask = 0; ask < 30 && probe.node().role !== "candidate"; ask++) {
          probe.send("n3", requestVote("n3", 5));
          probe.simulation.runFor(97);
        }
        expect(
          probe.node().role,
          `n3 asked every 100 ms for ${probe.simulation.nowMs - startedMs} ms for a vote in term 5, which n1 had given n2: refused requests must not reset the election timer`,
        ).toBe("candidate");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for candidates: on conversion, increment the term, vote for itself and ask every other server", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "standing for election" });
        const term = probe.waitForCandidate();
        expect(term, "the first term n1 stands for").toBe(1);
        expect(probe.node().votedFor, "a candidate votes for itself").toBe("n1");
        for (const peer of probe.peers) {
          expect(probe.lastTo("RequestVote", peer), `what n1 asked ${peer}`).toEqual(
            requestVote("n1", 1, 0, 0),
          );
        }
        probe.send("n2", requestVote("n2", 1));
        expect(
          probe.lastTo("RequestVoteReply", "n2"),
          "n1 voted for itself in term 1, so it must refuse n2 in term 1",
        ).toEqual(vote(1, false));
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for candidates: votes from a majority of distinct servers make it leader", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "counting votes", size: 5 });
        const term = probe.waitForCandidate();
        probe.send("n2", vote(term));
        probe.send("n2", vote(term));
        expect(
          probe.node().role,
          "n1 has its own vote and n2's, delivered twice: two of five is no majority",
        ).toBe("candidate");
        probe.send("n3", vote(term, false));
        expect(probe.node().role, "n3 refused: still two of five").toBe("candidate");
        probe.send("n4", vote(term));
        expect(probe.node().role, "n1, n2 and n4 voted for n1: three of five").toBe("leader");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for candidates: a vote granted in an older term does not count", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a late vote" });
        const first = probe.waitForCandidate();
        const second = probe.waitForCandidate();
        probe.send("n2", vote(first));
        expect(
          probe.node().role,
          `n1 stands for term ${second}; n2's vote for term ${first}, arriving late, is not a vote in term ${second}`,
        ).toBe("candidate");
        probe.send("n2", vote(second));
        expect(probe.node().role, `n2's vote for term ${second} gives n1 a majority`).toBe(
          "leader",
        );
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for candidates: a vote that arrives after it stopped being a candidate does not make it leader", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a vote too late" });
        const term = probe.waitForCandidate();
        probe.send("n2", appendEntries("n2", term, 0, 0, [], 0));
        expect(
          [probe.node().role, probe.node().leaderId],
          `n2 won term ${term} and sent n1 AppendEntries: n1 must follow it`,
        ).toEqual(["follower", "n2"]);
        probe.send("n3", vote(term));
        expect(
          probe.node().role,
          `n3's vote for n1 in term ${term} arrived after n2 won that term: n1 must not lead it too`,
        ).toBe("follower");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for candidates: an election that times out starts a new one in the next term", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a split vote" });
        const first = probe.waitForCandidate();
        const since = probe.sent.length;
        const ran = probe.simulation.runUntil(() => probe.node().currentTerm > first, {
          withinMs: probe.electionTimeoutMs.max + 10,
        });
        expect(
          ran,
          `nobody answered n1's election for term ${first}: within its election timeout it should stand again`,
        ).toBe(true);
        expect(probe.node().role, "n1 after its election timed out").toBe("candidate");
        expect(
          probe.lastTo("RequestVote", "n2", since),
          "what n1 asked n2 the second time",
        ).toEqual(requestVote("n1", first + 1, 0, 0));
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders: a new leader sends every server a heartbeat at once, then every heartbeat interval", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "heartbeats" });
        probe.waitForCandidate();
        const since = probe.sent.length;
        probe.elect();
        for (const peer of probe.peers) {
          expect(
            probe.sentOf("AppendEntries", peer, since).length,
            `AppendEntries n1 sent ${peer} within 3 ms of winning: announce the win at once`,
          ).toBeGreaterThan(0);
        }
        const before = probe.sent.length;
        probe.simulation.runFor(1_000);
        for (const peer of probe.peers) {
          const count = probe.sentOf("AppendEntries", peer, before).length;
          expect(
            count >= 15 && count <= 25,
            `n1 sent ${peer} ${count} AppendEntries in its first idle second as leader: one every 50 ms is 20`,
          ).toBe(true);
        }
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for all servers: a leader that steps down starts its election timer again", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a deposed leader" });
        const term = probe.elect();
        probe.send("n2", vote(term + 1, false));
        expect(probe.node().role, "n1 saw a newer term").toBe("follower");
        const stood = probe.simulation.runUntil(() => probe.node().role === "candidate", {
          withinMs: probe.electionTimeoutMs.max + 10,
        });
        expect(
          stood,
          `n1 stepped down from leading term ${term} and then heard from no leader: within its election timeout it must stand again`,
        ).toBe(true);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, persistent state: currentTerm and votedFor survive a restart", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "term and vote on disk" });
        probe.send("n2", requestVote("n2", 4));
        probe.crash();
        probe.restart();
        expect(
          [probe.node().currentTerm, probe.node().votedFor],
          "n1 voted for n2 in term 4, then crashed and restarted",
        ).toEqual([4, "n2"]);
        probe.send("n3", requestVote("n3", 4));
        expect(
          probe.lastTo("RequestVoteReply", "n3"),
          "after its restart n1 must still refuse a second candidate in term 4",
        ).toEqual(vote(4, false));
      },
      { seeds: 2 },
    );
  });
});
