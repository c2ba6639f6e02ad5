import { describe, expect, test } from "vitest";
import { forEachSeed, Random, type NodeId } from "../../harness/testing.js";
import { createRaftCluster, star, type Command, type RaftCluster } from "./raft-cluster.js";
import {
  appendEntries,
  appendSucceeded,
  entriesOf,
  probeRaft,
  requestVote,
  termsOf,
  vote,
} from "./raft-probe.js";
import type { RaftNode } from "./raft.js";

// Exercise 2.3 — Raft log replication. Run: npm run workbook -- test 2.3
//
// Every test runs a simulated cluster of RaftNodes and checks, after every event, the election
// properties of 2.2 plus figure 3's log properties: log matching, leader completeness (every
// committed entry is in the log of every later leader) and state machine safety (no two nodes
// apply different commands at one index; each node applies in order). Commands are strings.

describe("2.3 Raft log replication: agreement", () => {
  test("the leader's proposals are committed and applied on every node, in order", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        const term = cluster.node(leader).currentTerm;
        const commands = ["x1", "x2", "x3", "x4", "x5"];
        for (const [position, command] of commands.entries()) {
          const placed = cluster.propose(leader, command);
          expect(
            placed,
            `propose(${JSON.stringify(command)}) on leader ${leader} should return where the entry will go: the next index of the log, in the leader's term`,
          ).toEqual({ index: position + 1, term });
          waitForApplied(cluster, command, 3, 1_000);
        }
        for (const id of cluster.ids) {
          expect(cluster.applied(id), `the commands ${id} applied, in order`).toEqual(commands);
          expect(cluster.node(id).commitIndex, `${id}'s commitIndex`).toBe(commands.length);
          expect(cluster.node(id).lastApplied, `${id}'s lastApplied`).toBe(commands.length);
          expect(
            cluster.node(id).log,
            `${id}'s log should hold the five entries, in the leader's term`,
          ).toEqual(commands.map((command) => ({ term, command })));
        }
      },
      { seeds: 10 },
    );
  });

  test("a node that is not the leader refuses a proposal", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        const follower = cluster.ids.find((id) => id !== leader)!;
        expect(
          cluster.propose(follower, "x1"),
          `propose on follower ${follower} should return undefined: only the leader may add to the log`,
        ).toBeUndefined();
        expect(cluster.node(follower).log, `${follower}'s log after refusing`).toEqual([]);
      },
      { seeds: 5 },
    );
  });

  test("agreement continues while a follower is cut off, and it catches up when it returns", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        proposeAndCommit(cluster, leader, "x1", 3);
        const follower = cluster.ids.find((id) => id !== leader)!;
        cluster.simulation.isolate(follower);
        for (const command of ["x2", "x3", "x4"]) proposeAndCommit(cluster, leader, command, 2);
        expect(cluster.applied(follower), `${follower}, cut off, cannot have applied more`).toEqual(
          ["x1"],
        );
        cluster.simulation.heal();
        // The follower's term grew while it was alone, so its return may force an election; its
        // log is behind, so it cannot win it, and the new leader brings it up to date.
        waitForApplied(cluster, "x4", 3, 2_000);
        expect(cluster.applied(follower), `${follower} after it rejoined`).toEqual([
          "x1",
          "x2",
          "x3",
          "x4",
        ]);
      },
      { seeds: 10 },
    );
  });

  test("nothing is committed without a majority", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, size: 5, checks: "replication" });
        const leader = electLeader(cluster);
        proposeAndCommit(cluster, leader, "x1", 5);
        const random = new Random(seed, "faults");
        const [partner, ...away] = random.shuffle(cluster.ids.filter((id) => id !== leader));
        cluster.simulation.partition([leader, partner!], ...away.map((id) => [id]));
        const placed = cluster.propose(leader, "x2");
        expect(
          placed?.index,
          `${leader} still believes it leads and should place x2 at index 2`,
        ).toBe(2);
        const committed = cluster.simulation.runUntil(
          () => cluster.nodes.liveNodes().some((node) => node.commitIndex >= 2),
          { withinMs: 1_000 },
        );
        if (committed) {
          expect.fail(
            `x2 is only on ${leader} and ${partner}, two of five: no node may count it committed, but one did`,
          );
        }
        cluster.simulation.heal();
        const newLeader = electLeader(cluster);
        const after = cluster.propose(newLeader, "x3")!;
        expect(
          [2, 3],
          `once the network heals, x3 goes to index 3 if x2 survived, or 2 if a node without x2 won the election; it went to ${after.index}`,
        ).toContain(after.index);
        waitForApplied(cluster, "x3", 5, 1_000);
      },
      { seeds: 10 },
    );
  });

  test("concurrent proposals are all committed, each exactly once", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        const commands = Array.from({ length: 10 }, (_, index) => `x${index + 1}`);
        const indexes = commands.map((command) => cluster.propose(leader, command)?.index);
        expect(
          indexes,
          "ten proposals made at the same instant should get the indexes 1 to 10, in order",
        ).toEqual(commands.map((_, index) => index + 1));
        waitForApplied(cluster, "x10", 3, 1_000);
        for (const id of cluster.ids) {
          expect(cluster.applied(id), `the commands ${id} applied, each once`).toEqual(commands);
        }
      },
      { seeds: 10 },
    );
  });
});

describe("2.3 Raft log replication: repairing logs", () => {
  test("a partitioned leader's uncommitted entries are replaced when it rejoins", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const oldLeader = electLeader(cluster);
        proposeAndCommit(cluster, oldLeader, "x1", 3);
        // Cut off, the old leader still takes proposals it can never commit.
        cluster.simulation.isolate(oldLeader);
        for (const command of ["lost1", "lost2", "lost3"]) cluster.propose(oldLeader, command);
        const others = cluster.ids.filter((id) => id !== oldLeader);
        const newLeader = electLeader(cluster, others);
        proposeAndCommit(cluster, newLeader, "x2", 2);
        // Now the new leader is cut off, and the old one returns to the third node.
        const third = others.find((id) => id !== newLeader)!;
        cluster.simulation.heal();
        cluster.simulation.partition([newLeader], [oldLeader, third]);
        const thirdLeader = electLeader(cluster, [oldLeader, third]);
        expect(
          thirdLeader,
          `${third} holds the committed x2, which ${oldLeader} lacks: only ${third} can win`,
        ).toBe(third);
        proposeAndCommit(cluster, third, "x3", 2);
        cluster.simulation.heal();
        proposeAndCommit(cluster, electLeader(cluster), "x4", 3);
        for (const id of cluster.ids) {
          expect(
            cluster.node(id).log.map((entry) => entry.command),
            `${id}'s log: the old leader's uncommitted lost1..lost3 must be gone, replaced by the committed entries`,
          ).toEqual(["x1", "x2", "x3", "x4"]);
        }
      },
      { seeds: 10 },
    );
  });

  test("a follower far behind, with many conflicting entries, catches up in a few rounds", () => {
    forEachSeed(
      (seed) => {
        // After the 6.5840 test "leader backs up quickly over incorrect follower logs": two
        // followers end up with 25 entries that conflict with the leader's, and each must skip
        // them in a round or two rather than one entry per round.
        const entries = 25;
        const batch = (prefix: string) =>
          Array.from({ length: entries }, (_, index) => `${prefix}${index + 1}`);
        const cluster = createRaftCluster({ seed, size: 5, checks: "replication" });
        const leader1 = electLeader(cluster);
        proposeAndCommit(cluster, leader1, "start", 5);
        const random = new Random(seed, "faults");
        const [follower1, ...rest] = random.shuffle(cluster.ids.filter((id) => id !== leader1));
        // leader1 and follower1 take entries they can never commit.
        cluster.simulation.partition([leader1, follower1!], rest);
        for (const command of batch("lost")) cluster.propose(leader1, command);
        // The other three elect a leader and commit their own entries.
        const leader2 = electLeader(cluster, rest);
        for (const command of batch("a")) cluster.propose(leader2, command);
        waitForApplied(cluster, `a${entries}`, 3, 2_000);
        // leader2 and one follower take entries they can never commit; the third is cut off.
        const [other1, other2] = rest.filter((id) => id !== leader2);
        cluster.simulation.partition([leader2, other1!], [other2!], [leader1, follower1!]);
        for (const command of batch("lost-again")) cluster.propose(leader2, command);
        cluster.simulation.runFor(200);
        // leader1, follower1 and other2 meet: other2's log is the most up to date, it wins, and
        // the other two must back up over their 25 conflicting entries.
        cluster.simulation.partition([leader2, other1!], [other2!, leader1, follower1!]);
        cluster.resetCounts();
        const leader3 = electLeader(cluster, [other2!, leader1, follower1!]);
        expect(leader3, `${other2} holds every committed entry, so it should win`).toBe(other2);
        waitForLogsToMatch(cluster, leader3, [leader1, follower1!]);
        expectFewRejections(cluster, [leader1, follower1!]);
        for (const command of batch("b")) cluster.propose(leader3, command);
        waitForApplied(cluster, `b${entries}`, 3, 2_000);
        // Everyone meets: leader2 and other1 must back up over their own conflicting entries.
        cluster.simulation.heal();
        cluster.resetCounts();
        const leader4 = electLeader(cluster);
        waitForLogsToMatch(cluster, leader4, [leader2, other1!]);
        expectFewRejections(cluster, [leader2, other1!]);
        proposeAndCommit(cluster, leader4, "end", 5);
        const expected = ["start", ...batch("a"), ...batch("b"), "end"];
        for (const id of cluster.ids) {
          expect(cluster.applied(id), `the commands ${id} applied`).toEqual(expected);
        }
      },
      { seeds: 5 },
    );
  });

  test("a late, reordered AppendEntries does not erase entries the follower acknowledged", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        proposeAndCommit(cluster, leader, "x1", 3);
        const [follower, bystander] = cluster.ids.filter((id) => id !== leader);
        // The bystander hears nothing more, so x3 commits on the leader and the follower alone.
        cluster.simulation.cut(leader, bystander!);
        // The AppendEntries carrying x2 is slow; the one carrying x2 and x3 overtakes it.
        cluster.simulation.setLink(leader, follower!, { latencyMs: { min: 100, max: 100 } });
        cluster.propose(leader, "x2");
        cluster.simulation.setLink(leader, follower!, { latencyMs: { min: 1, max: 1 } });
        cluster.propose(leader, "x3");
        const committed = cluster.simulation.runUntil(() => cluster.node(leader).commitIndex >= 3, {
          withinMs: 50,
        });
        expect(committed, `${leader} should commit x3 once ${follower} acknowledges it`).toBe(true);
        const erased = cluster.simulation.runUntil(() => cluster.node(follower!).log.length < 3, {
          withinMs: 200,
        });
        if (erased) {
          expect.fail(
            `${follower} acknowledged x3, and ${leader} counted that to commit it; when the old AppendEntries carrying only x2 arrived late, ${follower} removed x3. ` +
              `Only an entry that conflicts (same index, different term) may be removed, never one that matches or lies beyond the request's entries`,
          );
        }
      },
      { seeds: 10 },
    );
  });

  test("committed entries survive crashes and restarts of the leader and followers", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const { simulation } = cluster;
        proposeAndCommit(cluster, electLeader(cluster), "x1", 3);
        // Everyone crashes and restarts: the log must come back from storage. Entries are applied
        // again from the start once a new leader commits an entry of its own term.
        for (const id of cluster.ids) simulation.crash(id);
        for (const id of cluster.ids) simulation.restart(id);
        proposeAndCommit(cluster, electLeader(cluster), "x2", 3);
        // The leader crashes; the others go on; it restarts and catches up.
        const leader = electLeader(cluster);
        simulation.crash(leader);
        proposeAndCommit(cluster, electLeader(cluster, cluster.nodes.liveIds()), "x3", 2);
        simulation.restart(leader);
        // A follower crashes; the others go on; it restarts and catches up.
        const leaderNow = electLeader(cluster);
        const follower = cluster.ids.find((id) => id !== leaderNow)!;
        simulation.crash(follower);
        proposeAndCommit(cluster, leaderNow, "x4", 2);
        simulation.restart(follower);
        proposeAndCommit(cluster, electLeader(cluster), "x5", 3);
        for (const id of cluster.ids) {
          expect(
            cluster.applied(id),
            `the commands ${id} applied since it last started (a restart applies everything again)`,
          ).toEqual(["x1", "x2", "x3", "x4", "x5"]);
        }
      },
      { seeds: 10 },
    );
  });
});

describe("2.3 Raft log replication: elections with logs", () => {
  test("a node refuses its vote to a candidate whose log is behind its own", () => {
    forEachSeed(
      (seed) => {
        // n3 misses x1..x3 and, alone, runs up its term with a short election timeout. When the
        // leader crashes and n3 returns, n3 stands first: n2, who holds the committed entries,
        // must refuse it (section 5.4.1), and win the next election itself.
        const cluster = createRaftCluster({
          seed,
          checks: "replication",
          raftOptions: (id) => (id === "n3" ? { electionTimeoutMs: { min: 80, max: 90 } } : {}),
        });
        cluster.simulation.isolate("n3");
        const leader = electLeader(cluster, ["n1", "n2"]);
        for (const command of ["x1", "x2", "x3"]) proposeAndCommit(cluster, leader, command, 2);
        cluster.simulation.crash(leader);
        cluster.simulation.heal();
        const survivor = leader === "n1" ? "n2" : "n1";
        const next = electLeader(cluster, [survivor, "n3"], 2_000);
        expect(
          next,
          `${survivor} holds the committed entries and n3 does not: only ${survivor} may win`,
        ).toBe(survivor);
      },
      { seeds: 10 },
    );
  });

  test("a candidate whose log is behind cannot keep the others from electing a leader", () => {
    forEachSeed(
      (seed) => {
        // n3 misses x1..x3 and keeps standing for election every 80-90 ms, each time in a newer
        // term. n1 and n2 must refuse it, and a refused request must not reset their election
        // timers, or n3 keeps them from ever standing themselves.
        const cluster = createRaftCluster({
          seed,
          checks: "replication",
          raftOptions: (id) => (id === "n3" ? { electionTimeoutMs: { min: 80, max: 90 } } : {}),
        });
        cluster.simulation.isolate("n3");
        const leader = electLeader(cluster, ["n1", "n2"]);
        for (const command of ["x1", "x2", "x3"]) proposeAndCommit(cluster, leader, command, 2);
        cluster.simulation.heal();
        const next = electLeader(cluster, cluster.ids, 2_000);
        expect(["n1", "n2"], "the leader once n3 returns: n1 or n2, never n3").toContain(next);
        waitForApplied(cluster, "x3", 3, 1_000);
      },
      { seeds: 10 },
    );
  });

  test("figure 8: an entry from an earlier term is not committed by counting replicas", () => {
    forEachSeed(
      (seed) => {
        // The paper's figure 8, step by step. Each step shapes the network as a star so that
        // only the centre can win the votes it needs; the centres, n1 and n5, also time out
        // sooner than the others, so that a leaf's vain elections do not keep delaying theirs.
        const cluster = createRaftCluster({
          seed,
          size: 5,
          checks: "replication",
          raftOptions: (id) => ({
            electionTimeoutMs:
              id === "n1"
                ? { min: 100, max: 120 }
                : id === "n5"
                  ? { min: 150, max: 300 }
                  : { min: 600, max: 900 },
          }),
        });
        const { simulation } = cluster;
        const waitToLead = (id: NodeId, step: string): void => {
          const won = simulation.runUntil(
            () => simulation.isUp(id) && cluster.node(id).role === "leader",
            {
              withinMs: 3_000,
            },
          );
          if (!won)
            expect.fail(
              `${step}: ${id}, the centre of the star, should win an election within 3 s`,
            );
        };
        // (a) n1 leads; "a" is committed everywhere; then n1 gets "b" to n2 only.
        cluster.connectOnly(star("n1", ["n2", "n3", "n4", "n5"]));
        waitToLead("n1", "(a)");
        proposeAndCommit(cluster, "n1", "a", 5);
        cluster.connectOnly([["n1", "n2"]]);
        cluster.propose("n1", "b");
        simulation.runUntil(() => cluster.node("n2").log.length === 2, { withinMs: 500 });
        // (b) n1 crashes. n5 wins with votes from n3 and n4, and takes "c" at index 2 alone.
        simulation.crash("n1");
        cluster.connectOnly(star("n5", ["n3", "n4"]));
        waitToLead("n5", "(b)");
        cluster.connectOnly([]);
        expect(cluster.propose("n5", "c")?.index, "(b) n5 places c at index 2").toBe(2);
        // (c) n5 crashes. n1 restarts, wins with votes from n2 and n3, and copies "b" to n3:
        // "b" is now on a majority (n1, n2, n3), but it is from an earlier term.
        simulation.crash("n5");
        simulation.restart("n1");
        cluster.connectOnly(star("n1", ["n2", "n3"]));
        waitToLead("n1", "(c)");
        simulation.runUntil(() => cluster.node("n3").log[1]?.command === "b", { withinMs: 1_000 });
        simulation.runFor(200);
        expect(
          cluster.node("n1").commitIndex,
          `(c) n1's commitIndex: "b" at index 2 is on n1, n2 and n3, a majority, but it is from term ${cluster.node("n1").log[1]?.term}, ` +
            `not n1's current term ${cluster.node("n1").currentTerm}: counting replicas must not commit it, because (d) can still overwrite it`,
        ).toBeLessThan(2);
        // (d) n1 crashes. n5 restarts and wins with votes from n2, n3 and n4 (its last entry
        // has a later term than theirs), replacing "b" with "c" everywhere.
        simulation.crash("n1");
        simulation.restart("n5");
        cluster.connectOnly(star("n5", ["n2", "n3", "n4"]));
        waitToLead("n5", "(d)");
        proposeAndCommit(cluster, "n5", "d", 4);
        expect(cluster.applied("n2"), "(d) n2's applied commands: b was never committed").toEqual([
          "a",
          "c",
          "d",
        ]);
      },
      { seeds: 5 },
    );
  });

  test("figure 8 with random crashes: committed entries are never lost", () => {
    forEachSeed(
      (seed) => {
        // After 6.5840's "Figure 8 (unreliable)": leaders crash soon after taking entries, again
        // and again, on a network that loses and reorders messages.
        const cluster = createRaftCluster({
          seed,
          size: 5,
          name: "raft figure 8, randomized",
          network: { latencyMs: { min: 1, max: 40 }, lossRate: 0.05 },
          checks: "replication",
        });
        const { simulation } = cluster;
        const random = new Random(seed, "faults");
        let next = 1;
        for (let round = 0; round < 25; round++) {
          for (const leader of cluster.leaders()) cluster.propose(leader, `c${next++}`);
          simulation.runFor(random.int(0, 3) === 0 ? random.int(100, 400) : random.int(1, 30));
          const leader = cluster.leaders()[0];
          if (leader !== undefined && random.next() < 0.5) simulation.crash(leader);
          const down = cluster.ids.filter((id) => !simulation.isUp(id));
          if (down.length > 2 || (down.length > 0 && random.next() < 0.3)) {
            simulation.restart(random.pick(down));
          }
        }
        expectEverythingCommittedEverywhere(cluster);
      },
      { seeds: 10 },
    );
  });
});

describe("2.3 Raft log replication: safety under faults and efficiency", () => {
  test("committed entries are never lost under random partitions and crashes", () => {
    forEachSeed((seed) => {
      const cluster = createRaftCluster({
        seed,
        size: 5,
        name: "raft replication under partitions and crashes",
        network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.05, duplicateRate: 0.05 },
        clocks: { driftPpmMax: 100 },
        checks: "replication",
      });
      const { simulation } = cluster;
      const random = new Random(seed, "faults");
      let next = 1;
      for (let round = 0; round < 25; round++) {
        const fault = random.next();
        if (fault < 0.3) {
          const shuffled = random.shuffle(cluster.ids);
          const cut = random.int(1, 2);
          simulation.partition(shuffled.slice(0, cut), shuffled.slice(cut));
        } else if (fault < 0.45) {
          simulation.heal();
        } else if (fault < 0.6) {
          simulation.crash(random.pick(cluster.ids));
        } else if (fault < 0.8) {
          const down = cluster.ids.filter((id) => !simulation.isUp(id));
          if (down.length > 0) simulation.restart(random.pick(down));
        }
        for (const leader of cluster.leaders()) {
          for (let count = random.int(1, 3); count > 0; count--) {
            cluster.propose(leader, `c${next++}`);
          }
        }
        simulation.runFor(random.int(50, 400));
      }
      expectEverythingCommittedEverywhere(cluster);
    });
  });

  test("agreeing on N entries takes O(N) messages once the cluster is stable", () => {
    forEachSeed(
      (seed) => {
        const cluster = createRaftCluster({ seed, checks: "replication" });
        const leader = electLeader(cluster);
        proposeAndCommit(cluster, leader, "warm-up", 3);
        cluster.resetCounts();
        const entries = 20;
        const startMs = cluster.simulation.nowMs;
        for (let index = 1; index <= entries; index++) {
          proposeAndCommit(cluster, leader, `x${index}`, 3);
        }
        const elapsedMs = cluster.simulation.nowMs - startMs;
        const { counts } = cluster;
        const messages =
          counts.RequestVote +
          counts.RequestVoteReply +
          counts.AppendEntries +
          counts.AppendEntriesReply;
        // Each entry needs an AppendEntries and a reply per follower (4 messages); heartbeats add
        // 4 messages every 50 ms.
        const allowed = entries * 6 + Math.ceil(elapsedMs / 50) * 6;
        expect(
          messages,
          `messages sent to commit ${entries} entries one after another in ${elapsedMs} ms (a few per entry, plus heartbeats)`,
        ).toBeLessThanOrEqual(allowed);
        expect(
          counts.entriesSent,
          `log entries carried by all AppendEntries while committing ${entries} entries: each follower needs each entry about once, not the whole log every time`,
        ).toBeLessThanOrEqual(entries * 2 * 2);
        expect(counts.RequestVote, "RequestVotes while the leader was stable").toBe(0);
      },
      { seeds: 10 },
    );
  });
});

// ---------------------------------------------------------------- helpers

/**
 * Waits up to `withinMs` for the nodes in `among` to agree on a leader, and returns it. Two
 * seconds is generous, and must be: two nodes that time out within a message delay of each other
 * split the vote, and a run of such rounds is rare but does happen.
 */
function electLeader(
  cluster: RaftCluster,
  among: readonly NodeId[] = cluster.ids,
  withinMs = 2_000,
): NodeId {
  const leader = cluster.waitForLeader(withinMs, among);
  if (leader === undefined) {
    expect.fail(
      `${among.join(", ")} should agree on one leader within ${withinMs} ms (one node leading, the others in its term with leaderId set to it); ${describeNodes(cluster)}`,
    );
  }
  return leader;
}

/** Proposes `command` on `leader` and waits until `count` live nodes have applied it. */
function proposeAndCommit(
  cluster: RaftCluster,
  leader: NodeId,
  command: Command,
  count: number,
  withinMs = 1_000,
): void {
  const placed = cluster.propose(leader, command);
  if (placed === undefined) {
    expect.fail(
      `${leader} should be leader and accept ${JSON.stringify(command)}, but propose returned undefined; ${describeNodes(cluster)}`,
    );
  }
  waitForApplied(cluster, command, count, withinMs);
}

function waitForApplied(
  cluster: RaftCluster,
  command: Command,
  count: number,
  withinMs: number,
): void {
  if (!cluster.waitForApplied(command, count, withinMs)) {
    expect.fail(
      `${count} nodes should have applied ${JSON.stringify(command)} within ${withinMs} ms, but ${cluster.appliedCount(command)} did; ${describeNodes(cluster)}`,
    );
  }
}

/**
 * Proposes `command` as a client would: to the leader of the highest term, again to each new
 * leader if leadership changes before it commits (a leader that loses its term may never commit
 * it), until every node has applied it.
 */
function commitEventually(cluster: RaftCluster, command: Command, withinMs: number): void {
  const { simulation } = cluster;
  const deadlineMs = simulation.nowMs + withinMs;
  let proposedTo = "";
  while (simulation.nowMs < deadlineMs) {
    const leader = cluster.leaders()[0];
    const leaderTerm = leader === undefined ? "" : `${leader}/${cluster.node(leader).currentTerm}`;
    if (leader !== undefined && leaderTerm !== proposedTo) {
      cluster.propose(leader, command);
      proposedTo = leaderTerm;
    }
    const applied = simulation.runUntil(
      () => cluster.appliedCount(command) === cluster.ids.length,
      { withinMs: Math.min(50, deadlineMs - simulation.nowMs) },
    );
    if (applied) return;
  }
  expect.fail(
    `once the network healed and every node restarted, ${JSON.stringify(command)} should be committed and applied on all ${cluster.ids.length} nodes within ${withinMs} ms, proposing it again to each new leader; ${describeNodes(cluster)}`,
  );
}

/** Runs until each of `followers` holds exactly the leader's log. */
function waitForLogsToMatch(
  cluster: RaftCluster,
  leader: NodeId,
  followers: readonly NodeId[],
): void {
  const matches = (): boolean => {
    const expected = JSON.stringify(cluster.node(leader).log);
    return followers.every((id) => JSON.stringify(cluster.node(id).log) === expected);
  };
  if (!cluster.simulation.runUntil(matches, { withinMs: 1_000 })) {
    expect.fail(
      `within 1 s of ${leader}'s election, ${followers.join(" and ")} should hold exactly its log: the leader finds where each log agrees with its own and sends the rest; ${describeNodes(cluster)}`,
    );
  }
}

/** Backing up by terms, a follower refuses an AppendEntries once per conflicting term or so. */
function expectFewRejections(cluster: RaftCluster, followers: readonly NodeId[]): void {
  for (const id of followers) {
    const rejections = cluster.counts.rejectionsFrom.get(id) ?? 0;
    expect(
      rejections,
      `AppendEntries that ${id} refused while the leader found where their logs agree: ${id} had 25 conflicting entries, ` +
        `and the reply's conflictTerm and conflictIndex should let the leader skip them all in a round or two, not one entry per round`,
    ).toBeLessThanOrEqual(6);
  }
}

/**
 * Heals everything, restarts every node, lets a leader commit one more entry, and checks that
 * every node then applied the same commands: all that any node ever applied, in the same order.
 */
function expectEverythingCommittedEverywhere(cluster: RaftCluster): void {
  const { simulation } = cluster;
  simulation.heal();
  simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
  for (const id of cluster.ids) if (!simulation.isUp(id)) simulation.restart(id);
  const committedBefore = cluster.appliedAnywhere();
  commitEventually(cluster, "final", 3_000);
  const allApplied = simulation.runUntil(
    () =>
      cluster.ids.every((id) => cluster.applied(id).length === cluster.appliedAnywhere().length),
    { withinMs: 1_000 },
  );
  expect(allApplied, "every node should apply every committed entry").toBe(true);
  const committed = cluster.appliedAnywhere();
  expect(
    committed.slice(0, committedBefore.length),
    "every command applied during the faults must still be committed, at the same index, after them",
  ).toEqual(committedBefore);
  for (const id of cluster.ids) {
    expect(
      cluster.applied(id),
      `${id}'s applied commands once the network healed: every committed command, in order, ending with "final"`,
    ).toEqual(committed);
  }
}

/** One line per node for failure messages. */
function describeNodes(cluster: RaftCluster): string {
  const lines = cluster.ids.map((id) => {
    if (!cluster.simulation.isUp(id)) return `${id}: crashed`;
    const node = cluster.node(id);
    const log = node.log.map((entry) => `${entry.command}@${entry.term}`).join(" ");
    return `${id}: ${node.role} in term ${node.currentTerm}, commitIndex ${node.commitIndex}, log [${log}]`;
  });
  return `the nodes at t=${cluster.simulation.nowMs} ms:\n  ${lines.join("\n  ")}`;
}

describe("2.3 Raft log replication: hostile schedules", () => {
  /** Proposes `command` to whoever leads the highest term, if anyone does. */
  const proposeToLeader = (cluster: RaftCluster, command: Command): void => {
    const leader = cluster.leaders()[0];
    if (leader !== undefined) cluster.propose(leader, command);
  };

  /** Once the network is good again: one last command must commit everywhere. */
  const expectRecovery = (cluster: RaftCluster, what: string): void => {
    const leader = cluster.waitForLeader(3_000);
    if (leader === undefined)
      expect.fail(`after ${what}, the nodes should agree on one leader within 3 s`);
    cluster.propose(leader, "final");
    const applied = cluster.waitForApplied("final", cluster.ids.length, 3_000);
    expect(
      applied,
      `after ${what}, the leader's "final" should be applied on all ${cluster.ids.length} nodes within 3 s (applied on ${cluster.appliedCount("final")})`,
    ).toBe(true);
  };

  test("committed entries are never lost while nodes are clogged one by one and unclogged in random order, in clusters of four and five", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "clogging");
        const cluster = createRaftCluster({
          seed,
          size: 4 + (seed % 2),
          name: "raft replication under swizzle-clogging",
          checks: "replication",
          network: { latencyMs: { min: 1, max: 10 } },
        });
        cluster.waitForLeader(1_000);
        let next = 0;
        for (let round = 0; round < 2; round++) {
          const link = random.chance(0.5)
            ? { latencyMs: { min: 300, max: 1_500 } }
            : { lossRate: 1 };
          cluster.swizzle(random, link, { min: 50, max: 500 }, () =>
            proposeToLeader(cluster, `c${++next}`),
          );
        }
        expectRecovery(cluster, "swizzle-clogging");
      },
      { seeds: 16 },
    );
  });

  test("committed entries are never lost when replies arrive later than an election timeout", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "proposals");
        const cluster = createRaftCluster({
          seed,
          size: 3 + (seed % 3),
          name: "raft replication on slow links",
          checks: "replication",
          network: { latencyMs: { min: 1, max: 400 }, lossRate: 0.05 },
        });
        for (let proposal = 1; proposal <= 60; proposal++) {
          cluster.simulation.runFor(random.int(50, 250));
          proposeToLeader(cluster, `c${proposal}`);
        }
        cluster.simulation.setNetwork({ latencyMs: { min: 1, max: 10 }, lossRate: 0 });
        expectRecovery(cluster, "slow links");
      },
      { seeds: 20 },
    );
  });

  test("committed entries survive a crash at any step: each seed crashes a node at a different event", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "crash step");
        const cluster = createRaftCluster({
          seed,
          size: 3 + (seed % 2),
          name: "raft replication crash at a step",
          checks: "replication",
        });
        const leader = cluster.waitForLeader(1_000)!;
        expect(leader, "a leader should be elected within 1 s").toBeDefined();
        for (const command of ["a", "b", "c"]) cluster.propose(leader, command);
        // Seed k crashes a node k events after the proposals: while they are being sent,
        // acknowledged, committed and applied.
        const crashAtStep = cluster.simulation.steps + 2 * seed;
        cluster.simulation.runUntil(() => cluster.simulation.steps >= crashAtStep, {
          withinMs: 1_000,
        });
        const victim = random.chance(0.5) ? leader : random.pick(cluster.ids);
        cluster.simulation.crash(victim);
        cluster.simulation.runFor(random.int(0, 400));
        cluster.simulation.restart(victim);
        expectRecovery(cluster, `${victim} crashed at event ${crashAtStep}`);
      },
      { seeds: 50 },
    );
  });
});

// ---------------------------------------------------------------- each rule on one node
//
// One real node, n1, among stand-ins that send it crafted messages (raft-probe.ts): each test
// names the rule of figure 2 it checks, and fails when that rule alone is broken.

describe("2.3 Raft log replication: each rule of figure 2 on one node", () => {
  test("figure 2, RequestVote receiver rule 2: a vote only for a log at least as up-to-date (section 5.4.1)", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "up-to-date logs" });
        probe.follow("n2", 2, [...entriesOf(1, "a"), ...entriesOf(2, "b")]);
        const cases: Array<[number, number, number, boolean, string]> = [
          [
            3,
            5,
            1,
            false,
            "a longer log that ends in an older term (1) is behind n1's (ends in term 2)",
          ],
          [
            4,
            1,
            2,
            false,
            "a log that ends in the same term 2 but is shorter (1 entry, n1 has 2) is behind",
          ],
          [5, 1, 3, true, "a log that ends in a later term (3) is ahead, however short"],
        ];
        for (const [term, lastLogIndex, lastLogTerm, granted, why] of cases) {
          probe.send("n3", requestVote("n3", term, lastLogIndex, lastLogTerm));
          expect(
            probe.lastTo("RequestVoteReply", "n3"),
            `n1's log has terms 1 2; n3 asks in term ${term} with lastLogIndex ${lastLogIndex}, lastLogTerm ${lastLogTerm}: ${why}`,
          ).toEqual(vote(term, granted));
        }
        probe.send("n2", requestVote("n2", 6, 2, 2));
        expect(
          probe.lastTo("RequestVoteReply", "n2"),
          "n2 asks in term 6 with a log just like n1's (2 entries, last term 2): as up-to-date is enough",
        ).toEqual(vote(6, true));
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 2: refuse when the log holds no entry at prevLogIndex with prevLogTerm", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "the consistency check" });
        probe.follow("n2", 1, entriesOf(1, "a", "b"));
        probe.send("n2", appendEntries("n2", 1, 3, 1, entriesOf(1, "d"), 0));
        expect(
          probe.lastTo("AppendEntriesReply", "n2"),
          "n1 holds 2 entries; an AppendEntries after index 3 must be refused, with conflictIndex 3 (its last index + 1) and conflictTerm 0",
        ).toMatchObject({ success: false, conflictTerm: 0, conflictIndex: 3 });
        probe.send("n3", appendEntries("n3", 2, 2, 2, entriesOf(2, "x"), 0));
        expect(
          probe.lastTo("AppendEntriesReply", "n3"),
          "n1's entry 2 has term 1; an AppendEntries after (index 2, term 2) must be refused, with conflictTerm 1 and conflictIndex 1 (where term 1 starts)",
        ).toMatchObject({ success: false, conflictTerm: 1, conflictIndex: 1 });
        expect(termsOf(probe.node().log), "n1's log after two refused AppendEntries").toBe("1 1");
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 3: a conflicting entry is deleted, with all that follow it", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a conflict" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"));
        probe.send("n3", appendEntries("n3", 2, 1, 1, entriesOf(2, "x"), 0));
        expect(
          probe.node().log.map((entry) => `${entry.term}${entry.command}`),
          "n1 held 1a 1b 1c; n3, leader of term 2, sent (term 2, x) after index 1: entry 2 conflicts, so it and entry 3 go",
        ).toEqual(["1a", "2x"]);
        expect(probe.lastTo("AppendEntriesReply", "n3"), "n1's answer to n3").toMatchObject({
          term: 2,
          success: true,
          matchIndex: 2,
        });
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 3: entries that match stay, so a late, shorter AppendEntries removes nothing", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a late AppendEntries" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"));
        probe.send("n2", appendEntries("n2", 1, 0, 0, entriesOf(1, "a"), 0));
        expect(
          probe.node().log.map((entry) => entry.command),
          "n1 held a b c; a late AppendEntries carrying only (term 1, a) conflicts with nothing, so nothing may be removed",
        ).toEqual(["a", "b", "c"]);
        expect(
          probe.lastTo("AppendEntriesReply", "n2"),
          "the late request proved only index 1 matches",
        ).toMatchObject({ success: true, matchIndex: 1 });
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 4: entries already in the log are not appended again", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a duplicated AppendEntries" });
        const request = appendEntries("n2", 1, 0, 0, entriesOf(1, "a", "b"), 0);
        probe.send("n2", request);
        probe.send("n2", request);
        expect(
          probe.node().log.map((entry) => entry.command),
          "the network delivered the same AppendEntries (a, b after index 0) twice: n1's log must hold a, b once",
        ).toEqual(["a", "b"]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, AppendEntries receiver rule 5: commitIndex = min(leaderCommit, index of last new entry)", () => {
    forEachSeed(
      (seed) => {
        // n1 holds three entries of term 1 that nobody committed. n3 leads term 2 with a log
        // 1a 2x 2y 2z, commitIndex 4, and sends n1 only its first entry. That proves n1 matches
        // up to index 1 and no further: entries 2 and 3 of n1 are not the leader's.
        const probe = probeRaft({ seed, name: "commit only what matches" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"));
        probe.send("n3", appendEntries("n3", 2, 0, 0, entriesOf(1, "a"), 4));
        expect(
          probe.node().commitIndex,
          "leaderCommit 4, but the last new entry n3 sent is index 1: commitIndex must be min(4, 1)",
        ).toBe(1);
        expect(
          probe.applied.map((entry) => entry.command),
          "n1 must apply only index 1; its entries 2 and 3 (b, c) were never committed",
        ).toEqual(["a"]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, state: commitIndex never decreases, even for a late AppendEntries with a lower leaderCommit", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "commitIndex only grows" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"), 3);
        expect(probe.node().commitIndex, "n1's commitIndex after leaderCommit 3").toBe(3);
        probe.send("n2", appendEntries("n2", 1, 0, 0, entriesOf(1, "a"), 1));
        expect(
          probe.node().commitIndex,
          "a late AppendEntries of the same term with leaderCommit 1 must not lower commitIndex",
        ).toBe(3);
        probe.send("n2", appendEntries("n2", 1, 3, 1, entriesOf(1, "d"), 4));
        expect(
          probe.applied.map((entry) => `${entry.index}${entry.command}`),
          "what n1 applied: a, b, c and then d, once each",
        ).toEqual(["1a", "2b", "3c", "4d"]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for all servers: every committed entry is applied once, in log order", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "applying" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"));
        expect(probe.applied, "n1 applied nothing before anything is committed").toEqual([]);
        probe.send("n2", appendEntries("n2", 1, 3, 1, [], 3));
        probe.send("n2", appendEntries("n2", 1, 3, 1, [], 3));
        expect(
          probe.applied.map((entry) => `${entry.index}${entry.command}`),
          "leaderCommit 3 arrived (twice): n1 must apply entries 1, 2 and 3, in order, once each",
        ).toEqual(["1a", "2b", "3c"]);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders: a proposal is appended to the leader's log and sent to every follower at once", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "proposing" });
        const term = probe.elect();
        const since = probe.sent.length;
        let placed: { index: number; term: number } | undefined;
        probe.simulation.act<RaftNode<Command>>("n1", "propose x", (node) => {
          placed = node.propose("x");
        });
        expect(placed, "propose on the leader returns the entry's index and term").toEqual({
          index: 1,
          term,
        });
        for (const peer of probe.peers) {
          expect(
            probe.sentOf("AppendEntries", peer, since).at(0)?.entries,
            `the AppendEntries n1 sent ${peer} as it took the proposal, without waiting for a heartbeat`,
          ).toEqual(entriesOf(term, "x"));
        }
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders: an entry is committed once a majority holds it, and two of four is no majority", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "a majority of four", size: 4 });
        const term = probe.elect();
        probe.simulation.act<RaftNode<Command>>("n1", "propose x", (node) => node.propose("x"));
        probe.send("n2", appendSucceeded(term, 1));
        probe.send("n2", appendSucceeded(term, 1));
        expect(
          probe.node().commitIndex,
          "n1 and n2 hold entry 1 (n2's reply arrived twice): two of four nodes is no majority",
        ).toBe(0);
        probe.send("n3", appendSucceeded(term, 1));
        expect(probe.node().commitIndex, "n1, n2 and n3 hold entry 1: three of four").toBe(1);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders (section 5.4.2): an entry of an earlier term is not committed by counting replicas", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "figure 8 on one node" });
        probe.follow("n2", 1, entriesOf(1, "a"));
        const term = probe.elect();
        probe.send("n2", appendSucceeded(term, 1));
        expect(
          probe.node().commitIndex,
          `n1 leads term ${term} and n2 holds its entry 1, of term 1: counting replicas commits only entries of term ${term}`,
        ).toBe(0);
        probe.simulation.act<RaftNode<Command>>("n1", "propose b", (node) => node.propose("b"));
        probe.send("n2", appendSucceeded(term, 2));
        expect(
          probe.node().commitIndex,
          `n2 now holds entry 2, of term ${term}: committing it commits entry 1 too`,
        ).toBe(2);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders: an AppendEntriesReply from an older term is not counted", () => {
    forEachSeed(
      (seed) => {
        // n1 followed n3 in term 2, then leads term 3 and proposes d: its log is 1a 2x 3d. A
        // success for index 3 from term 2 is about an entry 3 that n1 never sent in term 3.
        const probe = probeRaft({ seed, name: "a late reply" });
        probe.follow("n3", 2, [...entriesOf(1, "a"), ...entriesOf(2, "x")]);
        const term = probe.elect();
        probe.simulation.act<RaftNode<Command>>("n1", "propose d", (node) => node.propose("d"));
        probe.send("n2", appendSucceeded(term - 1, 3));
        expect(
          probe.node().commitIndex,
          `n1 leads term ${term}; a reply from term ${term - 1} claiming index 3 must be ignored, so nothing is committed`,
        ).toBe(0);
      },
      { seeds: 2 },
    );
  });

  test("figure 2, rules for leaders: on a refusal nextIndex backs up and the leader retries, but never below what a success proved", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "backing up" });
        const term = probe.elect();
        for (const command of ["a", "b", "c"]) {
          probe.simulation.act<RaftNode<Command>>("n1", `propose ${command}`, (node) =>
            node.propose(command),
          );
        }
        const refusal = {
          type: "AppendEntriesReply" as const,
          term,
          success: false,
          matchIndex: 0,
          conflictTerm: 0,
          conflictIndex: 1,
        };
        let since = probe.sent.length;
        probe.send("n2", refusal);
        expect(
          probe.lastTo("AppendEntries", "n2", since),
          "n2 refused, holding nothing (conflictIndex 1): n1 should at once send it everything after index 0",
        ).toMatchObject({ prevLogIndex: 0, entries: entriesOf(term, "a", "b", "c") });
        probe.send("n2", appendSucceeded(term, 3));
        since = probe.sent.length;
        probe.send("n2", refusal);
        probe.simulation.runFor(60);
        for (const request of probe.sentOf("AppendEntries", "n2", since)) {
          expect(
            request.prevLogIndex,
            "n2 proved it holds entries 1 to 3; a late copy of its refusal must not send nextIndex back below 4",
          ).toBe(3);
        }
      },
      { seeds: 2 },
    );
  });

  test("figure 2, persistent state: the log survives a restart, and commitIndex starts again at 0", () => {
    forEachSeed(
      (seed) => {
        const probe = probeRaft({ seed, name: "the log on disk" });
        probe.follow("n2", 1, entriesOf(1, "a", "b", "c"), 2);
        probe.send("n3", appendEntries("n3", 2, 1, 1, entriesOf(2, "x"), 2));
        probe.crash();
        probe.restart();
        expect(
          probe.node().log.map((entry) => `${entry.term}${entry.command}`),
          "n1's log after a restart: what it held before the crash, the conflict repaired",
        ).toEqual(["1a", "2x"]);
        expect(probe.node().commitIndex, "commitIndex is volatile: 0 after a restart").toBe(0);
      },
      { seeds: 2 },
    );
  });
});
