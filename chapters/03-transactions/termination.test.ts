import { describe, expect, test } from "vitest";
import { forEachSeed, Random, type NodeId } from "../../harness/testing.js";
import { commitCluster, transfer } from "./two-phase-commit-checks.js";
import type { CommitMessage, Write } from "./two-phase-commit.js";

// Exercise 3.2 — blocking, and the cooperative termination protocol. Run: npm run workbook -- test 3.2
//
// The participant of 3.1 with `termination: true`. Every test also runs the checks of 3.1 after
// every event: above all, no participant commits while another aborts.

/** Real participants with termination on; the coordinator is a probe the test drives by hand. */
function peers(seed: number, name: string) {
  const cluster = commitCluster({ seed, name, probeCoordinator: true, termination: true });
  const prepare = (to: NodeId, transaction: string, participants: NodeId[], writes?: Write[]) =>
    cluster.send("coordinator", to, {
      type: "prepare",
      transaction,
      writes: writes ?? [{ account: "x", amount: -10 }],
      participants,
    });
  const answers = (transaction: string) =>
    cluster
      .probe("coordinator")
      .receivedOf("peer-answer", transaction)
      .map((message) => (message as Extract<CommitMessage, { type: "peer-answer" }>).answer);
  const votes = (transaction: string) =>
    cluster
      .probe("coordinator")
      .receivedOf("vote", transaction)
      .map((message) => (message as Extract<CommitMessage, { type: "vote" }>).vote);
  return { ...cluster, prepare, answers, votes };
}

describe("3.2 Termination: blocking", () => {
  test("demonstration: with every participant prepared and the coordinator down, nobody may decide", () => {
    forEachSeed(
      (seed) => {
        // Every participant voted yes; the coordinator logged COMMIT and crashed before any
        // COMMIT got out. Each participant knows only that it, and every peer it asks, is
        // prepared: the coordinator may have committed (it did) or aborted. Deciding either way
        // could contradict it, so they wait, holding their locks. That is 2PC's blocking, and
        // the termination protocol cannot remove it.
        const { simulation, begin, participants, participant, coordinator } = commitCluster({
          seed,
          name: "blocked",
          termination: true,
        });
        begin("T1", { p1: [{ account: "x", amount: -10 }], p2: [], p3: [] });
        simulation.runUntil(
          () => participants.every((id) => participant(id)!.status("T1") === "prepared"),
          { withinMs: 500 },
        );
        for (const id of participants) simulation.cut("coordinator", id);
        simulation.runUntil(() => coordinator()?.decision("T1") === "commit", { withinMs: 500 });
        simulation.crash("coordinator");
        simulation.runFor(5_000);
        expect(
          participants.map((id) => participant(id)!.status("T1")),
          "all prepared, the coordinator gone: every participant is still in doubt after 5 s",
        ).toEqual(["prepared", "prepared", "prepared"]);
        expect(participant("p1")!.locks.get("x"), "and p1 still holds its lock").toBe("T1");
        for (const id of participants) simulation.repair("coordinator", id);
        simulation.restart("coordinator");
        simulation.runFor(1_000);
        expect(
          participants.map((id) => participant(id)!.status("T1")),
          "only the coordinator's return settles it",
        ).toEqual(["committed", "committed", "committed"]);
      },
      { seeds: 2 },
    );
  });
});

describe("3.2 Termination: the rules, one participant at a time", () => {
  test("a participant that never voted refuses when a peer asks, and then votes no", () => {
    forEachSeed(
      (seed) => {
        const { send, answers, prepare, votes, participant } = peers(seed, "refuse");
        send("coordinator", "p2", { type: "peer-query", transaction: "T1" });
        expect(answers("T1"), "p2 never voted on T1: it refuses, so the asker may abort").toEqual([
          "aborted",
        ]);
        prepare("p2", "T1", ["p1", "p2"]);
        expect(
          votes("T1"),
          "having refused, p2 must vote no when the prepare turns up late: otherwise the coordinator could commit what a peer already aborted",
        ).toEqual(["no"]);
        expect(participant("p2")!.locks.size, "a refused transaction locks nothing").toBe(0);
      },
      { seeds: 2 },
    );
  });

  test("a peer answers with what it knows: committed, aborted, or still prepared", () => {
    forEachSeed(
      (seed) => {
        const { send, answers, prepare } = peers(seed, "answers");
        prepare("p1", "T1", ["p1", "p2"]);
        send("coordinator", "p1", { type: "peer-query", transaction: "T1" });
        expect(answers("T1"), "p1 is in doubt itself: it can only say prepared").toEqual([
          "prepared",
        ]);
        send("coordinator", "p1", { type: "commit", transaction: "T1" });
        send("coordinator", "p1", { type: "peer-query", transaction: "T1" });
        expect(answers("T1").at(-1), "p1 committed T1").toBe("committed");
        prepare("p1", "T2", ["p1", "p2"], [{ account: "x", amount: -500 }]);
        send("coordinator", "p1", { type: "peer-query", transaction: "T2" });
        expect(answers("T2"), "p1 voted no on T2").toEqual(["aborted"]);
      },
      { seeds: 2 },
    );
  });

  test("an in-doubt participant asks its peers and adopts the decision one of them knows", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, send, participant } = peers(seed, "adopt");
        prepare("p1", "T1", ["p1", "p2"]);
        prepare("p2", "T1", ["p1", "p2"]);
        send("coordinator", "p2", { type: "commit", transaction: "T1" });
        simulation.runFor(1_000);
        expect(
          participant("p1")!.status("T1"),
          "the coordinator never answers p1, but p2 knows T1 committed: p1 should learn it from p2 within 1 s",
        ).toBe("committed");
        expect(participant("p1")!.balance("x"), "and apply it").toBe(90);
      },
      { seeds: 2 },
    );
  });

  test("an in-doubt participant aborts when a peer never voted and refuses", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, votes, participant } = peers(seed, "peer never voted");
        prepare("p1", "T1", ["p1", "p2", "p3"]);
        prepare("p3", "T1", ["p1", "p2", "p3"]);
        simulation.runFor(1_000);
        expect(
          [participant("p1")!.status("T1"), participant("p3")!.status("T1")],
          "p2 never saw T1's prepare, so it refuses when asked: T1 cannot commit, and p1 and p3 may abort",
        ).toEqual(["aborted", "aborted"]);
        prepare("p2", "T1", ["p1", "p2", "p3"]);
        expect(votes("T1").at(-1), "the late prepare at p2 gets a no").toBe("no");
      },
      { seeds: 2 },
    );
  });

  test("an in-doubt participant never decides from silence or from peers that are in doubt too", () => {
    forEachSeed(
      (seed) => {
        const { simulation, prepare, participant } = peers(seed, "silence");
        prepare("p1", "T1", ["p1", "p2", "p3"]);
        prepare("p2", "T1", ["p1", "p2", "p3"]);
        prepare("p3", "T1", ["p1", "p2", "p3"]);
        simulation.isolate("p3");
        simulation.runFor(3_000);
        expect(
          [participant("p1")!.status("T1"), participant("p2")!.status("T1")],
          "p1 and p2 are prepared and hear nothing from p3 or the coordinator: neither may decide",
        ).toEqual(["prepared", "prepared"]);
      },
      { seeds: 2 },
    );
  });

  test("a decision is forgotten only after every participant acknowledged it", () => {
    forEachSeed(
      (seed) => {
        // Real coordinator, probe participants. p1 acknowledges COMMIT, p2's acknowledgement is
        // lost; then the coordinator restarts. Had it dropped its record on p1's ack, it would
        // answer p2's question with "abort" (presumed abort), though p1 committed.
        const { begin, simulation, send, probe } = commitCluster({
          seed,
          name: "forget",
          probeParticipants: true,
        });
        begin("T1", transfer("p1", "p2", 5));
        simulation.runFor(15);
        send("p1", "coordinator", { type: "vote", transaction: "T1", vote: "yes" });
        send("p2", "coordinator", { type: "vote", transaction: "T1", vote: "yes" });
        send("p1", "coordinator", { type: "ack", transaction: "T1" });
        simulation.crash("coordinator");
        simulation.restart("coordinator");
        send("p2", "coordinator", { type: "query", transaction: "T1" });
        expect(
          probe("p2").receivedOf("abort", "T1").length,
          "p2 never acknowledged: the coordinator must still know T1 committed",
        ).toBe(0);
        expect(
          probe("p2").receivedOf("commit", "T1").length,
          "p2 asks, and hears COMMIT",
        ).toBeGreaterThanOrEqual(2);
      },
      { seeds: 2 },
    );
  });
});

describe("3.2 Termination: on the network", () => {
  test("termination shortens the time locks are held in doubt: under 1 s instead of until the coordinator returns", () => {
    forEachSeed(
      (seed) => {
        const downMs = 5_000;
        const held: Record<string, number> = {};
        for (const termination of [false, true]) {
          // The coordinator decides commit, its COMMIT reaches only p1, and it crashes for 5 s.
          const { simulation, begin, participant, coordinator } = commitCluster({
            seed,
            name: termination ? "with termination" : "without termination",
            termination,
          });
          begin("T1", {
            p1: [{ account: "x", amount: -1 }],
            p2: [{ account: "x", amount: -1 }],
            p3: [{ account: "x", amount: -1 }],
          });
          simulation.runUntil(
            () => ["p1", "p2", "p3"].every((id) => participant(id)!.status("T1") === "prepared"),
            { withinMs: 500 },
          );
          simulation.cut("coordinator", "p2");
          simulation.cut("coordinator", "p3");
          simulation.runUntil(() => coordinator()?.decision("T1") === "commit", { withinMs: 500 });
          const decidedMs = simulation.nowMs;
          simulation.crash("coordinator");
          simulation.repair("coordinator", "p2");
          simulation.repair("coordinator", "p3");
          simulation.after(downMs, "restart coordinator", () => simulation.restart("coordinator"));
          const released = simulation.runUntil(
            () => ["p1", "p2", "p3"].every((id) => participant(id)!.locks.size === 0),
            { withinMs: downMs + 2_000 },
          );
          expect(released, "every lock is released in the end").toBe(true);
          held[termination ? "with" : "without"] = simulation.nowMs - decidedMs;
        }
        const report = `locks held in doubt after the decision: ${held["without"]} ms without termination, ${held["with"]} ms with it`;
        expect(held["without"], report).toBeGreaterThanOrEqual(downMs);
        expect(held["with"], report).toBeLessThan(1_000);
      },
      { seeds: 3 },
    );
  });

  test("with the coordinator gone for good, participants settle whenever a peer knows the outcome", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "termination scenario");
        const cluster = commitCluster({
          seed,
          name: "coordinator gone",
          termination: true,
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.1, duplicateRate: 0.1 },
        });
        const { simulation, participants, begin, participant } = cluster;
        const transactions: string[] = [];
        const membersOf = new Map<string, NodeId[]>();
        for (let index = 1; index <= 6; index++) {
          const members = random
            .shuffle([...participants])
            .slice(0, random.int(2, 3))
            .sort();
          const writes = Object.fromEntries(
            members.map((id) => [
              id,
              [{ account: random.pick(["x", "y"]), amount: -random.int(1, 60) }],
            ]),
          );
          const transaction = `T${index}`;
          transactions.push(transaction);
          membersOf.set(transaction, members);
          simulation.at(random.int(0, 200), `begin ${transaction}`, () =>
            begin(transaction, writes),
          );
        }
        simulation.at(random.int(50, 300), "the coordinator dies", () =>
          simulation.crash("coordinator"),
        );
        simulation.runFor(1_000);
        simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
        simulation.runFor(2_000);
        // In doubt is allowed only where nobody could know more: every participant prepared.
        for (const transaction of transactions) {
          const members = membersOf.get(transaction)!;
          const seen = members.map((id) => participant(id)!.status(transaction));
          if (!seen.includes("prepared")) continue;
          expect(
            seen,
            `${transaction} is in doubt at ${members.join(", ")}: ${JSON.stringify(seen)}; a participant may stay in doubt only when every participant of the transaction is prepared (ask the peers: one that knows, or never voted, settles it)`,
          ).toEqual(members.map(() => "prepared"));
        }
      },
      { seeds: 10 },
    );
  });
});
