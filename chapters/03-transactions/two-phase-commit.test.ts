import { describe, expect, test } from "vitest";
import { forEachSeed, Random, type NodeId } from "../../harness/testing.js";
import { commitCluster, transfer } from "./two-phase-commit-checks.js";
import type { CommitMessage, Write } from "./two-phase-commit.js";

// Exercise 3.1 — two-phase commit with a durable log. Run: npm run workbook -- test 3.1
//
// Every test also checks, after every event: no participant commits while another aborts; a
// decision never changes; the coordinator commits only if every participant voted yes; every log
// write comes before the message that depends on it; the client hears "aborted" only for a
// transaction that never commits; no balance goes below zero.

/** Participants played by real nodes, the coordinator by a probe the test drives by hand. */
function participantProbe(seed: number, name: string) {
  const cluster = commitCluster({ seed, name, probeCoordinator: true });
  const prepare = (
    to: NodeId,
    transaction: string,
    writes: Write[],
    participants: NodeId[] = ["p1", "p2"],
  ) => cluster.send("coordinator", to, { type: "prepare", transaction, writes, participants });
  const decide = (to: NodeId, transaction: string, decision: "commit" | "abort") =>
    cluster.send("coordinator", to, { type: decision, transaction });
  const votes = (transaction: string) =>
    cluster
      .probe("coordinator")
      .receivedOf("vote", transaction)
      .map((message) => (message as Extract<CommitMessage, { type: "vote" }>).vote);
  return { ...cluster, prepare, decide, votes };
}

/** The coordinator played by a real node, the participants by probes. */
function coordinatorProbe(seed: number, name: string) {
  const cluster = commitCluster({ seed, name, probeParticipants: true });
  const vote = (from: NodeId, transaction: string, vote: "yes" | "no") =>
    cluster.send(from, "coordinator", { type: "vote", transaction, vote });
  const received = (id: NodeId, type: CommitMessage["type"], transaction: string) =>
    cluster.probe(id).receivedOf(type, transaction).length;
  return { ...cluster, vote, received };
}

describe("3.1 Two-phase commit: the participant", () => {
  test("a participant votes yes on a prepare it can keep, and locks what it wrote", () => {
    forEachSeed(
      (seed) => {
        const { prepare, votes, participant } = participantProbe(seed, "participant votes yes");
        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        expect(votes("T1"), "p1 holds 100 in x, so it can promise to withdraw 30").toEqual(["yes"]);
        expect(participant("p1")!.status("T1"), "p1 voted yes, so it is prepared").toBe("prepared");
        expect(
          participant("p1")!.locks.get("x"),
          "a prepared transaction locks the accounts it writes",
        ).toBe("T1");
        expect(participant("p1")!.balance("x"), "nothing changes until the commit arrives").toBe(
          100,
        );
      },
      { seeds: 2 },
    );
  });

  test("a participant votes no when an account cannot cover a withdrawal, and locks nothing", () => {
    forEachSeed(
      (seed) => {
        const { prepare, votes, participant } = participantProbe(seed, "insufficient funds");
        prepare("p1", "T1", [{ account: "x", amount: -150 }]);
        expect(votes("T1"), "x holds 100: a withdrawal of 150 must get a no").toEqual(["no"]);
        expect(participant("p1")!.locks.size, "a participant that voted no holds no locks").toBe(0);
        prepare("p1", "T2", [
          { account: "x", amount: -60 },
          { account: "x", amount: -60 },
        ]);
        expect(votes("T2"), "two withdrawals of 60 from 100 in one transaction need 120").toEqual([
          "no",
        ]);
        prepare("p1", "T3", [{ account: "x", amount: -50 }]);
        expect(votes("T3"), "after two no votes x is free and holds 100: 50 can go").toEqual([
          "yes",
        ]);
      },
      { seeds: 2 },
    );
  });

  test("a participant votes no on a lock conflict with a prepared transaction", () => {
    forEachSeed(
      (seed) => {
        const { prepare, decide, votes, participant } = participantProbe(seed, "lock conflict");
        prepare("p1", "T1", [{ account: "x", amount: -10 }]);
        prepare("p1", "T2", [{ account: "x", amount: 5 }]);
        expect(votes("T2"), "T1 holds the lock on x, so T2 must get a no (no waiting)").toEqual([
          "no",
        ]);
        prepare("p1", "T3", [{ account: "y", amount: 5 }]);
        expect(votes("T3"), "T3 writes only y, which nobody holds").toEqual(["yes"]);
        decide("p1", "T1", "commit");
        prepare("p1", "T4", [{ account: "x", amount: -10 }]);
        expect(votes("T4"), "T1 committed and released x, so T4 can have it").toEqual(["yes"]);
        expect(participant("p1")!.balance("x"), "only T1 has committed on x").toBe(90);
      },
      { seeds: 2 },
    );
  });

  test("a commit applies the writes exactly once, however often it arrives", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, decide, participant, probe } = participantProbe(
          seed,
          "duplicate commits",
        );
        prepare("p1", "T1", [
          { account: "x", amount: -30 },
          { account: "y", amount: 30 },
        ]);
        decide("p1", "T1", "commit");
        decide("p1", "T1", "commit");
        simulation.crash("p1");
        simulation.restart("p1");
        decide("p1", "T1", "commit");
        const p1 = participant("p1")!;
        expect(
          [p1.balance("x"), p1.balance("y")],
          "T1 moves 30 from x to y once, however many times COMMIT arrives, even after a restart",
        ).toEqual([70, 130]);
        expect(p1.status("T1"), "p1 committed T1").toBe("committed");
        expect(p1.locks.size, "a committed transaction holds no locks").toBe(0);
        expect(
          probe("coordinator").receivedOf("ack", "T1").length,
          "every COMMIT is acknowledged, duplicates too: the coordinator re-sends until it hears one",
        ).toBeGreaterThanOrEqual(3);
      },
      { seeds: 2 },
    );
  });

  test("an abort releases the locks and changes no balance", () => {
    forEachSeed(
      (seed) => {
        const { prepare, decide, votes, participant } = participantProbe(seed, "abort");
        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        decide("p1", "T1", "abort");
        const p1 = participant("p1")!;
        expect(p1.status("T1"), "p1 was told to abort T1").toBe("aborted");
        expect(p1.balance("x"), "an aborted transaction changes nothing").toBe(100);
        expect(p1.locks.size, "an aborted transaction holds no locks").toBe(0);
        prepare("p1", "T2", [{ account: "x", amount: -100 }]);
        expect(votes("T2"), "T1's withdrawal never happened, so all 100 can go").toEqual(["yes"]);
      },
      { seeds: 2 },
    );
  });

  test("late, duplicated and crafted messages of other transactions change nothing", () => {
    forEachSeed(
      (seed) => {
        const { prepare, decide, votes, participant } = participantProbe(seed, "late messages");
        const p1 = () => participant("p1")!;
        decide("p1", "T0", "commit");
        expect(p1().status("T0"), "a COMMIT for a transaction p1 never prepared").toBe(undefined);
        expect(p1().balance("x"), "a COMMIT for a transaction p1 never prepared").toBe(100);

        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        decide("p1", "T1", "commit");
        decide("p1", "T1", "abort");
        expect(p1().status("T1"), "a late ABORT must not undo a commit").toBe("committed");
        expect(p1().balance("x"), "a late ABORT must not undo a commit").toBe(70);
        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        expect(p1().balance("x"), "a late PREPARE of a committed transaction").toBe(70);
        expect(p1().locks.size, "a late PREPARE of a committed transaction locks nothing").toBe(0);

        prepare("p1", "T2", [{ account: "x", amount: -20 }]);
        decide("p1", "T2", "abort");
        decide("p1", "T2", "commit");
        expect(p1().status("T2"), "a late COMMIT must not revive an aborted transaction").toBe(
          "aborted",
        );
        expect(p1().balance("x"), "a late COMMIT must not apply an aborted transaction").toBe(70);
        prepare("p1", "T2", [{ account: "x", amount: -20 }]);
        expect(votes("T2").at(-1), "a late PREPARE of an aborted transaction gets a no").toBe("no");
        expect(p1().locks.size, "a late PREPARE of an aborted transaction locks nothing").toBe(0);

        prepare("p1", "T3", [{ account: "y", amount: 10 }]);
        prepare("p1", "T3", [{ account: "y", amount: 10 }]);
        expect(votes("T3"), "a duplicate PREPARE repeats the vote").toEqual(["yes", "yes"]);
        decide("p1", "T3", "commit");
        expect(p1().balance("y"), "T3 was prepared twice but commits once").toBe(110);
      },
      { seeds: 2 },
    );
  });

  test("a participant that voted yes never aborts on its own, and keeps asking the coordinator", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, decide, participant, probe } = participantProbe(
          seed,
          "in doubt",
        );
        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        simulation.runFor(5_000);
        expect(
          participant("p1")!.status("T1"),
          "p1 voted yes and heard nothing for 5 s: it must stay prepared, since the coordinator may have decided commit",
        ).toBe("prepared");
        expect(
          probe("coordinator").receivedOf("query", "T1").length,
          "an in-doubt participant keeps asking the coordinator for the outcome (at least 3 queries in 5 s)",
        ).toBeGreaterThanOrEqual(3);
        decide("p1", "T1", "commit");
        expect(participant("p1")!.balance("x"), "the answer comes at last: commit").toBe(70);
      },
      { seeds: 2 },
    );
  });

  test("a restarted participant recovers prepared from its log and asks for the outcome", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, decide, votes, participant, probe } = participantProbe(
          seed,
          "participant restarts",
        );
        prepare("p1", "T1", [{ account: "x", amount: -30 }]);
        simulation.crash("p1");
        simulation.restart("p1");
        const queriesBefore = probe("coordinator").receivedOf("query", "T1").length;
        expect(
          participant("p1")!.status("T1"),
          "p1 voted yes before it crashed; after the restart it must still be prepared",
        ).toBe("prepared");
        prepare("p1", "T2", [{ account: "x", amount: -10 }]);
        expect(
          votes("T2"),
          "T1's lock on x must survive the restart, or T2 could write x while T1 is in doubt",
        ).toEqual(["no"]);
        simulation.runFor(1_000);
        expect(
          probe("coordinator").receivedOf("query", "T1").length,
          "a restarted participant that is in doubt asks the coordinator what was decided",
        ).toBeGreaterThan(queriesBefore);
        decide("p1", "T1", "abort");
        expect(participant("p1")!.balance("x"), "T1 aborted: x is untouched").toBe(100);
        expect(participant("p1")!.locks.size, "and its lock is released").toBe(0);
      },
      { seeds: 2 },
    );
  });
});

describe("3.1 Two-phase commit: the coordinator", () => {
  test("the coordinator prepares exactly the participants of a transaction, each with its writes", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, probe } = coordinatorProbe(seed, "prepare");
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(20);
        expect(probe("p1").receivedOf("prepare", "T1"), "p1 withdraws 30 from x").toEqual([
          {
            type: "prepare",
            transaction: "T1",
            writes: [{ account: "x", amount: -30 }],
            participants: ["p1", "p2"],
          },
        ]);
        expect(probe("p2").receivedOf("prepare", "T1"), "p2 deposits 30 in y").toEqual([
          {
            type: "prepare",
            transaction: "T1",
            writes: [{ account: "y", amount: 30 }],
            participants: ["p1", "p2"],
          },
        ]);
        expect(probe("p3").received, "p3 has no part in T1").toEqual([]);
      },
      { seeds: 2 },
    );
  });

  test("the coordinator commits only after every participant voted yes, counting each once", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, vote, received, coordinator } = coordinatorProbe(seed, "votes");
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(15);
        vote("p1", "T1", "yes");
        vote("p1", "T1", "yes");
        vote("p3", "T1", "yes");
        vote("p2", "T0", "yes");
        expect(
          received("p1", "commit", "T1"),
          "only p1 voted yes on T1 (twice, plus a yes from p3, who is not in T1, and p2's yes for another transaction): no commit yet",
        ).toBe(0);
        expect(coordinator()!.decision("T1"), "no decision while p2's vote is missing").toBe(
          undefined,
        );
        vote("p2", "T1", "yes");
        expect(coordinator()!.decision("T1"), "every participant voted yes").toBe("commit");
        expect(
          [received("p1", "commit", "T1"), received("p2", "commit", "T1")],
          "both participants are told to commit",
        ).toEqual([1, 1]);
        simulation.runFor(20);
        expect(
          simulation.node<{ history: { outcome: string }[] }>("client")!.history,
          "the client hears that T1 committed",
        ).toMatchObject([{ outcome: "ok" }]);
      },
      { seeds: 3 },
    );
  });

  test("a missing vote counts as no: the coordinator aborts when a vote does not come in time", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, vote, received, coordinator, client } = coordinatorProbe(
          seed,
          "missing vote",
        );
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(15);
        vote("p1", "T1", "yes");
        simulation.runFor(1_000);
        expect(
          received("p1", "commit", "T1"),
          "p2 never voted: the coordinator must not commit",
        ).toBe(0);
        expect(
          received("p1", "abort", "T1"),
          "p2's vote did not come within 1 s: the coordinator aborts and tells p1, who voted yes and holds locks",
        ).toBe(1);
        expect(coordinator()!.decision("T1"), "the coordinator decided abort").toBe("abort");
        expect(client().history, "the client hears that T1 aborted").toMatchObject([
          { transaction: "T1", outcome: "fail" },
        ]);
        vote("p2", "T1", "yes");
        expect(coordinator()!.decision("T1"), "a late yes changes nothing").toBe("abort");
      },
      { seeds: 3 },
    );
  });

  test("a no vote aborts the transaction, and late votes change nothing", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, vote, received, coordinator } = coordinatorProbe(
          seed,
          "no vote",
        );
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(15);
        vote("p1", "T1", "no");
        expect(coordinator()!.decision("T1"), "one no is enough to abort").toBe("abort");
        expect(received("p2", "abort", "T1"), "p2 hears the abort").toBeGreaterThanOrEqual(1);
        vote("p2", "T1", "yes");
        vote("p1", "T1", "yes");
        simulation.runFor(500);
        expect(coordinator()!.decision("T1"), "late yes votes do not reopen the decision").toBe(
          "abort",
        );
        expect(
          received("p1", "commit", "T1") + received("p2", "commit", "T1"),
          "no COMMIT, ever",
        ).toBe(0);
      },
      { seeds: 2 },
    );
  });

  test("the coordinator logs its commit decision before it sends COMMIT or answers the client", () => {
    forEachSeed(
      (seed) => {
        // The check runs at the moment each COMMIT is sent: a coordinator restarted from its
        // storage at that instant must know it decided commit.
        const { begin, simulation, vote, coordinator } = coordinatorProbe(seed, "forced write");
        begin("T1", transfer("p1", "p3", 10));
        simulation.runFor(15);
        vote("p1", "T1", "yes");
        vote("p3", "T1", "yes");
        expect(coordinator()!.decision("T1"), "both participants voted yes").toBe("commit");
        simulation.crash("coordinator");
        simulation.restart("coordinator");
        expect(
          coordinator()!.decision("T1"),
          "the coordinator decided commit before it crashed: after the restart it still knows",
        ).toBe("commit");
      },
      { seeds: 2 },
    );
  });

  test("a restarted coordinator re-sends a logged commit until every participant acknowledges it", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, vote, received, send } = coordinatorProbe(seed, "re-send");
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(15);
        // Every COMMIT of the first life is lost.
        simulation.cut("coordinator", "p1");
        simulation.cut("coordinator", "p2");
        vote("p1", "T1", "yes");
        vote("p2", "T1", "yes");
        simulation.crash("coordinator");
        simulation.repair("coordinator", "p1");
        simulation.repair("coordinator", "p2");
        simulation.runFor(200);
        simulation.restart("coordinator");
        simulation.runFor(50);
        expect(
          [received("p1", "commit", "T1"), received("p2", "commit", "T1")],
          "the restarted coordinator finds COMMIT in its log and sends it again, without being asked",
        ).toEqual([1, 1]);
        send("p1", "coordinator", { type: "ack", transaction: "T1" });
        simulation.runFor(1_000);
        expect(
          received("p2", "commit", "T1"),
          "p2 has not acknowledged: the coordinator keeps re-sending COMMIT",
        ).toBeGreaterThanOrEqual(3);
        expect(received("p1", "commit", "T1"), "p1 acknowledged: it hears COMMIT no more").toBe(1);
        send("p2", "coordinator", { type: "ack", transaction: "T1" });
        const after = received("p2", "commit", "T1");
        simulation.runFor(1_000);
        expect(received("p2", "commit", "T1"), "every participant acknowledged: done").toBe(after);
      },
      { seeds: 2 },
    );
  });

  test("a restarted coordinator that had not decided answers a query with abort (presumed abort)", () => {
    forEachSeed(
      (seed) => {
        const { begin, simulation, vote, received, send, coordinator } = coordinatorProbe(
          seed,
          "presumed abort",
        );
        begin("T1", transfer("p1", "p2", 30));
        simulation.runFor(15);
        vote("p1", "T1", "yes");
        simulation.crash("coordinator");
        simulation.restart("coordinator");
        vote("p2", "T1", "yes");
        expect(
          coordinator()!.decision("T1"),
          "the coordinator crashed before deciding, so it cannot commit T1: it no longer has p1's vote",
        ).not.toBe("commit");
        send("p1", "coordinator", { type: "query", transaction: "T1" });
        expect(
          received("p1", "abort", "T1"),
          "p1 asks about T1; with no commit in its log the coordinator answers abort",
        ).toBe(1);
        send("p1", "coordinator", { type: "query", transaction: "T9" });
        expect(
          received("p1", "abort", "T9"),
          "a query about a transaction the coordinator never ran is answered abort, too",
        ).toBe(1);
      },
      { seeds: 2 },
    );
  });
});

/** Real coordinator and participants. */
function realCluster(
  seed: number,
  name: string,
  extra: Parameters<typeof commitCluster>[0] = { seed, name },
) {
  return commitCluster({ ...extra, seed, name });
}

describe("3.1 Two-phase commit: on the network", () => {
  test("with all yes and no faults a transaction commits, in at most 4n messages and two round trips", () => {
    forEachSeed(
      (seed) => {
        for (const count of [2, 3, 5]) {
          const latencyMs = 10;
          const cluster = realCluster(seed, `efficiency with ${count}`, {
            seed,
            name: "",
            participantCount: count,
            network: { latencyMs: { min: latencyMs, max: latencyMs } },
          });
          const { simulation, participants, begin, messages, participant, client } = cluster;
          const writes = Object.fromEntries(
            participants.map((id) => [id, [{ account: "y", amount: 1 }]]),
          );
          begin("T1", writes);
          // The begin takes one latency to reach the coordinator; then prepare, vote, commit.
          const startMs = simulation.nowMs + latencyMs;
          const reached = simulation.runUntil(
            () => participants.every((id) => participant(id)!.status("T1") === "committed"),
            { withinMs: 1_000 },
          );
          expect(reached, `all ${count} participants should commit T1`).toBe(true);
          const elapsedMs = simulation.nowMs - startMs;
          expect(
            elapsedMs,
            `COMMIT should reach every participant within two round trips (${4 * latencyMs} ms) of the begin arriving; it took ${elapsedMs} ms`,
          ).toBeLessThanOrEqual(4 * latencyMs);
          simulation.runFor(1_000);
          const protocol = messages().filter(
            (sent) => sent.from !== "client" && sent.to !== "client",
          );
          expect(
            protocol.length,
            `a fault-free commit with ${count} participants needs prepare, vote, commit and ack: at most ${4 * count} messages, got ${protocol.length}: ${protocol.map((sent) => `${sent.message.type} ${sent.from}→${sent.to}`).join(", ")}`,
          ).toBeLessThanOrEqual(4 * count);
          expect(client().history, "the client hears committed").toMatchObject([{ outcome: "ok" }]);
        }
      },
      { seeds: 3 },
    );
  });

  test("a participant that crashes before voting aborts the transaction; one that crashes after voting yes still commits", () => {
    forEachSeed(
      (seed) => {
        {
          const { simulation, begin, participant, settled, client } = realCluster(
            seed,
            "crash before voting",
          );
          simulation.crash("p2");
          begin("T1", transfer("p1", "p2", 30));
          simulation.runFor(1_000);
          simulation.restart("p2");
          const done = simulation.runUntil(() => settled("T1"), { withinMs: 3_000 });
          expect(done, "p1 must not stay in doubt once the coordinator has aborted").toBe(true);
          expect(client().history, "p2 never voted: T1 aborts").toMatchObject([
            { outcome: "fail" },
          ]);
          expect(participant("p1")!.balance("x"), "T1 aborted: p1's x is untouched").toBe(100);
        }
        {
          const { simulation, begin, participant, settled, client } = realCluster(
            seed,
            "crash after voting",
          );
          begin("T1", transfer("p1", "p2", 30));
          const voted = simulation.runUntil(() => participant("p2")!.status("T1") === "prepared", {
            withinMs: 100,
          });
          expect(voted, "p2 should prepare T1 and vote yes").toBe(true);
          // Its yes is on the wire; p2 goes down before the decision can reach it.
          simulation.crash("p2");
          simulation.runFor(500);
          simulation.restart("p2");
          const done = simulation.runUntil(() => settled("T1"), { withinMs: 3_000 });
          expect(done, "p2 recovers prepared and learns the outcome").toBe(true);
          expect(client().history, "both voted yes: T1 commits").toMatchObject([{ outcome: "ok" }]);
          expect(
            [participant("p1")!.balance("x"), participant("p2")!.balance("y")],
            "T1 moved 30 from p1's x to p2's y",
          ).toEqual([70, 130]);
        }
      },
      { seeds: 4 },
    );
  });

  test("once the coordinator is up and the network heals, every participant learns the decision", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "coordinator crash");
        const { simulation, begin, settled, statuses } = realCluster(seed, "coordinator crash", {
          seed,
          name: "",
          network: { latencyMs: { min: 1, max: 10 }, lossRate: 0.1 },
        });
        // The coordinator crashes somewhere between sending PREPARE and sending COMMIT, or just
        // after, and p3 is cut off meanwhile.
        begin("T1", {
          p1: [{ account: "x", amount: -10 }],
          p2: [],
          p3: [{ account: "y", amount: 10 }],
        });
        simulation.isolate("p3");
        simulation.runFor(random.int(0, 30));
        simulation.crash("coordinator");
        simulation.runFor(random.int(100, 1_000));
        simulation.heal();
        simulation.restart("coordinator");
        const done = simulation.runUntil(() => settled("T1"), { withinMs: 5_000 });
        expect(
          done,
          `every participant should learn T1's outcome within 5 s of the restart and heal; they are at ${JSON.stringify(statuses("T1"))}`,
        ).toBe(true);
      },
      { seeds: 10 },
    );
  });

  test("no participant commits while another aborts, under loss, duplication, crashes and partitions", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "scenario");
        const cluster = realCluster(seed, "2pc under faults", {
          seed,
          name: "",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.1 },
        });
        const { simulation, participants, begin, participant, settled, client, statuses } = cluster;
        const ids = ["coordinator", ...participants];
        const transactions: string[] = [];
        for (let index = 1; index <= 8; index++) {
          const [source, target] = random.shuffle([...participants]).slice(0, 2) as [
            string,
            string,
          ];
          const transaction = `T${index}`;
          transactions.push(transaction);
          simulation.at(random.int(0, 1_500), `begin ${transaction}`, () =>
            begin(transaction, transfer(source, target, random.int(10, 80))),
          );
        }
        for (let fault = 0; fault < 4; fault++) {
          const id = random.pick(ids);
          const crashAtMs = random.int(0, 1_500);
          simulation.at(crashAtMs, `crash ${id}`, () => {
            if (simulation.isUp(id)) simulation.crash(id);
          });
          simulation.at(crashAtMs + random.int(50, 500), `restart ${id}`, () => {
            if (!simulation.isUp(id)) simulation.restart(id);
          });
        }
        const cutOff = random.pick(participants);
        simulation.at(random.int(0, 1_000), `partition ${cutOff} away`, () =>
          simulation.partition([cutOff]),
        );
        simulation.runFor(2_000);
        simulation.heal();
        simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
        for (const id of ids) if (!simulation.isUp(id)) simulation.restart(id);
        const done = simulation.runUntil(() => transactions.every(settled), { withinMs: 5_000 });
        expect(
          done,
          `once every node is up and the network heals, no participant may stay in doubt: ${transactions.map((transaction) => `${transaction} ${JSON.stringify(statuses(transaction))}`).join("; ")}`,
        ).toBe(true);
        const total = participants
          .map((id) => participant(id)!.balance("x") + participant(id)!.balance("y"))
          .reduce((sum, each) => sum + each, 0);
        expect(total, "transfers move money; none is created or lost").toBe(
          participants.length * 200,
        );
        for (const record of client().history) {
          if (record.outcome === "ok")
            expect(
              statuses(record.transaction),
              `the client heard ${record.transaction} committed`,
            ).not.toContain("aborted");
        }
      },
      { seeds: 20 },
    );
  });
});
