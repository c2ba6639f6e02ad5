import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeId } from "../../harness/testing.js";
import { ProbeNode, recordBallots, watchPaxos, type SentBallot } from "./paxos-checks.js";
import { PaxosNode, type PaxosMessage } from "./paxos.js";

// Exercise 2.1 — single-decree Paxos. Run: npm run workbook -- test 2.1

const cluster = ["n1", "n2", "n3"];

/**
 * Paxos nodes that nobody asks to propose, and a probe that plays proposer against them, so a
 * test can send an acceptor exactly the prepares and accepts it wants.
 */
function withProbe(seed: number, name: string, ids: readonly NodeId[] = cluster) {
  const simulation = new Simulation<PaxosMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 10 } },
  });
  const nodes = simulation.addNodes(ids, (context) => new PaxosNode(context));
  simulation.addNodes(["probe"], (context) => new ProbeNode(context));
  const watch = watchPaxos(simulation, nodes);
  const probe = simulation.node<ProbeNode>("probe")!;
  /** The probe sends `message` to each of `to`, then the network gets time to deliver it. */
  const send = (to: NodeId[], message: PaxosMessage): void => {
    if (message.type === "accept") watch.proposedElsewhere(message.value);
    simulation.act<ProbeNode>("probe", `probe sends ${message.type} → ${to.join(", ")}`, (node) =>
      to.forEach((id) => node.send(id, message)),
    );
    simulation.runFor(50);
  };
  /** The promises `from` sent the probe for `ballot`. */
  const promisesFrom = (from: NodeId, ballot: number) =>
    probe.received.filter(
      (received) =>
        received.from === from &&
        received.message.type === "promise" &&
        received.message.ballot === ballot,
    );
  return { simulation, nodes, watch, send, promisesFrom };
}

describe("2.1 Paxos: the acceptor", () => {
  test("an acceptor promises a higher ballot and reports the proposal it accepted", () => {
    forEachSeed(
      (seed) => {
        const { nodes, send, promisesFrom } = withProbe(seed, "acceptor promises");
        send(["n1"], { type: "prepare", ballot: 5 });
        expect(
          promisesFrom("n1", 5).map((received) => received.message),
          "n1 had promised nothing, so a prepare for ballot 5 should get one promise back, reporting no accepted proposal",
        ).toContainEqual({ type: "promise", ballot: 5, accepted: null });
        expect(nodes.node("n1")!.promised, "n1.promised after promising ballot 5").toBe(5);

        send(["n1"], { type: "accept", ballot: 5, value: "apple" });
        expect(
          nodes.node("n1")!.accepted,
          "n1 promised ballot 5, so it should accept (5, apple)",
        ).toEqual({ ballot: 5, value: "apple" });

        send(["n1"], { type: "prepare", ballot: 8 });
        expect(
          promisesFrom("n1", 8).map((received) => received.message),
          "a promise for ballot 8 must report the proposal n1 accepted, (5, apple), so the new proposer can adopt it",
        ).toContainEqual({ type: "promise", ballot: 8, accepted: { ballot: 5, value: "apple" } });
      },
      { seeds: 3 },
    );
  });

  test("an acceptor rejects or ignores a prepare or accept with a lower ballot than it promised", () => {
    forEachSeed(
      (seed) => {
        const { nodes, send, promisesFrom } = withProbe(seed, "acceptor keeps promises");
        const n1 = () => nodes.node("n1")!;
        send(["n1"], { type: "prepare", ballot: 10 });
        send(["n1"], { type: "accept", ballot: 7, value: "low" });
        expect(
          n1().accepted,
          "n1 promised ballot 10, so it must not accept a proposal under ballot 7",
        ).toBeUndefined();
        send(["n1"], { type: "prepare", ballot: 9 });
        expect(
          promisesFrom("n1", 9).length,
          "n1 promised ballot 10, so it must not promise the lower ballot 9",
        ).toBe(0);
        expect(n1().promised, "a lower prepare must not lower n1's promise").toBe(10);

        send(["n1"], { type: "accept", ballot: 10, value: "high" });
        expect(n1().accepted, "n1 should accept a proposal under the ballot it promised").toEqual({
          ballot: 10,
          value: "high",
        });
        send(["n1"], { type: "accept", ballot: 9, value: "late" });
        expect(
          n1().accepted,
          "n1 accepted ballot 10; a late accept for ballot 9 must not replace it",
        ).toEqual({ ballot: 10, value: "high" });
      },
      { seeds: 3 },
    );
  });

  test("an acceptor keeps its promise and accepted proposal across a crash and restart", () => {
    forEachSeed(
      (seed) => {
        // Two proposers share n2: the first gets promises from n1 and n2 under ballot 1, the
        // second from n2 and n3 under ballot 2. If n2 forgets its promise of ballot 2 when it
        // restarts, both can get their values accepted by a majority: "A" by n1 and n2, "C"
        // by n2 and n3. Two values chosen is exactly what Paxos exists to prevent.
        const { simulation, nodes, watch, send, promisesFrom } = withProbe(seed, "restart");
        send(["n1", "n2"], { type: "prepare", ballot: 1 });
        send(["n2", "n3"], { type: "prepare", ballot: 2 });
        expect(
          promisesFrom("n2", 2).length,
          "n2 should promise ballot 2 (it had promised only ballot 1)",
        ).toBeGreaterThan(0);
        simulation.crash("n2");
        simulation.restart("n2");
        expect(
          nodes.node("n2")!.promised,
          "n2 promised ballot 2 before it crashed; after its restart it must still report that promise",
        ).toBe(2);

        send(["n1", "n2"], { type: "accept", ballot: 1, value: "A" });
        expect(
          nodes.node("n2")!.accepted,
          "n2 promised ballot 2 before it crashed, so after its restart it must not accept ballot 1",
        ).toBeUndefined();
        send(["n2", "n3"], { type: "accept", ballot: 2, value: "C" });
        expect(watch.chosenValues(), 'only "C" should be chosen').toEqual(["C"]);

        simulation.crash("n3");
        simulation.restart("n3");
        send(["n3"], { type: "prepare", ballot: 3 });
        expect(
          promisesFrom("n3", 3).map((received) => received.message),
          "n3 accepted (2, C) before it crashed; after its restart its promise must still report it",
        ).toContainEqual({ type: "promise", ballot: 3, accepted: { ballot: 2, value: "C" } });
      },
      { seeds: 3 },
    );
  });
});

describe("2.1 Paxos: each rule on one node", () => {
  test("Paxos Made Simple, P1a: accepting a ballot never promised raises the promise to it", () => {
    forEachSeed(
      (seed) => {
        // An accept may reach an acceptor whose prepare was lost. Accepting it is allowed, and
        // it is a promise as well: an acceptor that still answers lower ballots afterwards can
        // be talked into replacing the value it accepted with an older proposal's.
        const { nodes, send, promisesFrom } = withProbe(seed, "accept raises the promise");
        const n1 = () => nodes.node("n1")!;
        send(["n1"], { type: "accept", ballot: 5, value: "high" });
        expect(n1().accepted, "n1 had promised nothing, so it should accept (5, high)").toEqual({
          ballot: 5,
          value: "high",
        });
        expect(
          n1().promised,
          "n1.promised after accepting ballot 5 with no prepare before it: accepting a ballot promises it",
        ).toBe(5);
        send(["n1"], { type: "prepare", ballot: 3 });
        expect(
          promisesFrom("n1", 3).length,
          "n1 accepted under ballot 5, so it must not promise the lower ballot 3",
        ).toBe(0);
        send(["n1"], { type: "accept", ballot: 3, value: "low" });
        expect(
          n1().accepted,
          "n1 accepted (5, high); an accept for the lower ballot 3 must not replace it",
        ).toEqual({ ballot: 5, value: "high" });
      },
      { seeds: 2 },
    );
  });

  test("Paxos Made Simple, proposer: a restarted proposer's next ballot is higher than any it used before the crash", () => {
    forEachSeed(
      (seed) => {
        // n1 proposes into silence: every link from n1 is cut, its own acceptor included, so
        // nothing but the proposer's own storage remembers the ballot it used.
        const sent: SentBallot[] = [];
        const simulation = new Simulation<PaxosMessage>({ seed, name: "ballot after restart" });
        simulation.addNodes(cluster, (context) => new PaxosNode(recordBallots(context, sent)));
        for (const to of cluster) simulation.cut("n1", to);
        simulation.act<PaxosNode>("n1", "propose first", (node) => node.propose("first"));
        simulation.runFor(20);
        const before = sent.filter((each) => each.type === "prepare").map((each) => each.ballot);
        simulation.crash("n1");
        simulation.restart("n1");
        const sentBeforeRestart = sent.length;
        simulation.act<PaxosNode>("n1", "propose second", (node) => node.propose("second"));
        const after = sent.slice(sentBeforeRestart).find((each) => each.type === "prepare");
        expect(before.length, "prepares n1 sent before its crash").toBeGreaterThan(0);
        expect(
          after,
          "n1 was asked to propose after its restart, so it should send a prepare",
        ).toBeDefined();
        const highest = Math.max(...before);
        expect(
          after!.ballot,
          `n1 prepared ballots up to ${highest} before it crashed; after its restart it must use a higher one (keep the round in storage), not ${after!.ballot}`,
        ).toBeGreaterThan(highest);
      },
      { seeds: 2 },
    );
  });

  test("Paxos Made Simple, proposer: a proposer whose messages were lost tries again with a higher ballot", () => {
    forEachSeed(
      (seed) => {
        // Everything n1 sends is lost for its first 50 ms; after that the network is perfect.
        // A proposer that never retries waits for ever for promises that cannot come.
        const sent: SentBallot[] = [];
        const simulation = new Simulation<PaxosMessage>({ seed, name: "retry" });
        const nodes = simulation.addNodes(
          cluster,
          (context) => new PaxosNode(recordBallots(context, sent)),
        );
        for (const to of cluster) simulation.cut("n1", to);
        simulation.act<PaxosNode>("n1", "propose lonely", (node) => node.propose("lonely"));
        simulation.runFor(50);
        for (const to of cluster) simulation.repair("n1", to);
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 1_000 },
        );
        const ballots = [
          ...new Set(sent.filter((each) => each.type === "prepare").map((each) => each.ballot)),
        ];
        expect(
          learned,
          `n1's first prepare (ballot ${ballots[0]}) was lost; it should retry with a higher ballot after a random delay, and every node learn "lonely" within 1 s (n1 prepared ballots ${ballots.join(", ")})`,
        ).toBe(true);
        expect(
          ballots.length,
          "the ballots n1 prepared: the lost one, then a higher one",
        ).toBeGreaterThan(1);
      },
      { seeds: 2 },
    );
  });

  test("Paxos Made Simple, learner: a value is chosen by a majority of one ballot, not by accepts of it under different ballots", () => {
    forEachSeed(
      (seed) => {
        // n1 accepts "X" under ballot 1 and n2 under ballot 2: two acceptors, a majority of
        // three, accepted "X", but under no single ballot. Ballot 3 could still choose another
        // value through n1 or n2 and n3, so no learner may count "X" as chosen.
        const { nodes, send } = withProbe(seed, "learn by ballot");
        send(["n1"], { type: "prepare", ballot: 1 });
        send(["n1"], { type: "accept", ballot: 1, value: "X" });
        send(["n2"], { type: "prepare", ballot: 2 });
        send(["n2"], { type: "accept", ballot: 2, value: "X" });
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          "n1 accepted (1, X) and n2 accepted (2, X): no majority accepted one ballot, so no node may have learned a value",
        ).toEqual([undefined, undefined, undefined]);
      },
      { seeds: 2 },
    );
  });

  test("Paxos Made Simple, learner: an acceptor's accepted message counts once, however often it arrives", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes, send } = withProbe(seed, "learn from duplicates");
        for (const to of cluster) simulation.setLink("n1", to, { duplicateRate: 1 });
        send(["n1"], { type: "prepare", ballot: 1 });
        send(["n1"], { type: "accept", ballot: 1, value: "X" });
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          "only n1 accepted (1, X), and the network delivered its accepted message twice: one acceptor is no majority of three",
        ).toEqual([undefined, undefined, undefined]);
      },
      { seeds: 2 },
    );
  });
});

describe("2.1 Paxos: the proposer", () => {
  test("ballots are unique across proposers and never go down, even across a restart", () => {
    forEachSeed(
      (seed) => {
        const sent: SentBallot[] = [];
        const simulation = new Simulation<PaxosMessage>({
          seed,
          name: "ballots",
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.2, duplicateRate: 0.1 },
        });
        const nodes = simulation.addNodes(
          cluster,
          (context) => new PaxosNode(recordBallots(context, sent)),
        );
        // Checked after every event, so a failure points at the send that broke the rule.
        const senderOf = new Map<number, NodeId>();
        const valueOf = new Map<number, string>();
        const lastPrepareOf = new Map<NodeId, number>();
        let checked = 0;
        simulation.addInvariant("ballots are unique to a proposer and never go down", () => {
          for (; checked < sent.length; checked++) {
            const { from, type, ballot, value } = sent[checked]!;
            const sender = senderOf.get(ballot);
            if (sender !== undefined && sender !== from)
              return `${sender} and ${from} both sent ${type === "prepare" ? "a prepare" : "an accept"} under ballot ${ballot}: ballots must be unique to a proposer (break ties with the node id)`;
            senderOf.set(ballot, from);
            if (type === "prepare") {
              const last = lastPrepareOf.get(from);
              if (last !== undefined && ballot < last)
                return `${from} sent a prepare for ballot ${ballot} after one for ballot ${last}: a proposer's ballots must only grow, even across a restart (keep the round in storage)`;
              lastPrepareOf.set(from, ballot);
            } else {
              const earlier = valueOf.get(ballot);
              if (earlier !== undefined && earlier !== value)
                return `ballot ${ballot} was sent with two values, "${earlier}" and "${value}": one ballot must carry one value`;
              valueOf.set(ballot, value!);
            }
          }
        });
        const watch = watchPaxos(simulation, nodes);
        for (const id of cluster) watch.propose(id, `${id}'s value`);
        // A proposer that restarts must not start again from its first ballot.
        simulation.at(150, "crash n1", () => simulation.crash("n1"));
        simulation.at(200, "restart n1", () => simulation.restart("n1"));
        simulation.at(200, "n1 proposes again", () => watch.propose("n1", "n1's second value"));
        simulation.runUntil(() => nodes.liveNodes().every((node) => node.chosen !== undefined), {
          withinMs: 3_000,
        });
        expect(
          [...lastPrepareOf.keys()].sort(),
          "every node proposed, so every node should have sent prepares",
        ).toEqual(cluster);
      },
      { seeds: 8 },
    );
  });

  test("a later proposal adopts the highest-numbered accepted value", () => {
    forEachSeed(
      (seed) => {
        // The probe gets "new" chosen under ballot 2 by n2 and n3, after n1 accepted "old"
        // under ballot 1, while n1 hears nothing from the others. When n1 then proposes, its
        // own acceptor's promise (reporting "old") comes back first. Proposing "old", or its own
        // value, would choose a second value; Paxos makes it re-propose "new".
        const { simulation, nodes, watch, send } = withProbe(seed, "adopt");
        simulation.cut("n2", "n1");
        simulation.cut("n3", "n1");
        send(["n1"], { type: "prepare", ballot: 1 });
        send(["n1"], { type: "accept", ballot: 1, value: "old" });
        send(["n2", "n3"], { type: "prepare", ballot: 2 });
        send(["n2", "n3"], { type: "accept", ballot: 2, value: "new" });
        expect(watch.chosenValues(), 'the probe should have got "new" chosen').toEqual(["new"]);
        expect(nodes.node("n1")!.chosen, "n1 heard from nobody, so it knows nothing yet").toBe(
          undefined,
        );

        simulation.repair("n2", "n1");
        simulation.repair("n3", "n1");
        simulation.setLink("n2", "n1", { latencyMs: { min: 30, max: 30 } });
        simulation.setLink("n3", "n1", { latencyMs: { min: 30, max: 30 } });
        simulation.setLink("n1", "n1", { latencyMs: { min: 1, max: 1 } });
        watch.propose("n1", "mine");
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 2_000 },
        );
        expect(learned, "every node should learn the chosen value within 2 s").toBe(true);
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          '"new" was already chosen, so n1 must adopt it: the value of the highest-numbered proposal among its promises',
        ).toEqual(["new", "new", "new"]);
      },
      { seeds: 5 },
    );
  });

  test("a proposer counts each acceptor's promise once, even when the network duplicates it", () => {
    forEachSeed(
      (seed) => {
        // Five nodes: the probe gets "new" chosen by n3, n4 and n5 while n1 and n2 hear nothing
        // of it. Then n1 proposes, and every message from n2 to n1 arrives twice. n1's own
        // promise and n2's two copies make three messages but only two acceptors: n1 must wait
        // for a third promise, which reports "new".
        const ids = ["n1", "n2", "n3", "n4", "n5"];
        const voters = ["n3", "n4", "n5"];
        const { simulation, nodes, watch, send } = withProbe(seed, "duplicates", ids);
        for (const voter of voters) {
          simulation.cut(voter, "n1");
          simulation.cut(voter, "n2");
        }
        send(voters, { type: "prepare", ballot: 1 });
        send(voters, { type: "accept", ballot: 1, value: "new" });
        expect(watch.chosenValues(), 'the probe should have got "new" chosen').toEqual(["new"]);

        for (const voter of voters) {
          simulation.repair(voter, "n1");
          simulation.repair(voter, "n2");
          simulation.setLink(voter, "n1", { latencyMs: { min: 30, max: 30 } });
        }
        simulation.setLink("n2", "n1", { latencyMs: { min: 1, max: 1 }, duplicateRate: 1 });
        simulation.setLink("n1", "n1", { latencyMs: { min: 1, max: 1 } });
        watch.propose("n1", "mine");
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 2_000 },
        );
        expect(learned, "every node should learn the chosen value within 2 s").toBe(true);
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          '"new" was already chosen; n1 must not mistake two copies of n2\'s promise for a majority',
        ).toEqual(["new", "new", "new", "new", "new"]);
      },
      { seeds: 3 },
    );
  });
});

describe("2.1 Paxos: the learner", () => {
  test("a node learns a value only after a majority of acceptors accepted it", () => {
    forEachSeed(
      (seed) => {
        const { nodes, send } = withProbe(seed, "learning");
        send(["n1"], { type: "prepare", ballot: 1 });
        send(["n1"], { type: "accept", ballot: 1, value: "X" });
        const early = nodes.liveNodes().filter((node) => node.chosen !== undefined);
        expect(
          early.length,
          "only one acceptor of three accepted (1, X): no node may think it is chosen",
        ).toBe(0);

        send(["n2"], { type: "prepare", ballot: 1 });
        send(["n2"], { type: "accept", ballot: 1, value: "X" });
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          "n1 and n2, a majority, accepted (1, X): every node should learn X from their accepted messages",
        ).toEqual(["X", "X", "X"]);
      },
      { seeds: 3 },
    );
  });
});

describe("2.1 Paxos: agreement on the simulated network", () => {
  test("a single proposer on a stable network gets its value chosen, and every node learns it", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<PaxosMessage>({
          seed,
          name: "single proposer",
          network: { latencyMs: { min: 1, max: 10 } },
        });
        const nodes = simulation.addNodes(cluster, (context) => new PaxosNode(context));
        const watch = watchPaxos(simulation, nodes);
        const proposer = new Random(seed, "proposer").pick(cluster);
        watch.propose(proposer, "solo");
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 500 },
        );
        expect(
          learned,
          `${proposer} proposed "solo" on a network that loses nothing; within 500 ms every node should have learned a value`,
        ).toBe(true);
        expect(
          nodes.liveNodes().map((node) => node.chosen),
          `every node should have learned ${proposer}'s value, the only one proposed`,
        ).toEqual(["solo", "solo", "solo"]);
      },
      { seeds: 10 },
    );
  });

  test("dueling proposers choose exactly one value, and choose it once the network is stable", () => {
    forEachSeed(
      (seed) => {
        const ids = ["n1", "n2", "n3", "n4", "n5"];
        const simulation = new Simulation<PaxosMessage>({
          seed,
          name: "dueling proposers",
          network: { latencyMs: { min: 1, max: 10 }, lossRate: 0.1, duplicateRate: 0.05 },
        });
        const nodes = simulation.addNodes(ids, (context) => new PaxosNode(context));
        const watch = watchPaxos(simulation, nodes);
        for (const id of ids) watch.propose(id, `${id}'s value`);
        simulation.runFor(500);
        simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 5_000 },
        );
        const values = nodes.liveNodes().map((node) => node.chosen);
        expect(
          learned,
          `five proposers competed; within 5 s of the network becoming stable every node should have learned a value (learned: ${JSON.stringify(values)})`,
        ).toBe(true);
        expect(new Set(values).size, `every node must learn the same value, got ${values}`).toBe(1);
      },
      { seeds: 10 },
    );
  });

  test("at most one value is chosen, with dueling proposers, loss, duplication and restarts", () => {
    forEachSeed(
      (seed) => {
        // Three nodes, so that every acceptor is in every majority but one: a single acceptor
        // that forgets a promise or a vote is enough to choose a second value.
        const ids = cluster;
        const random = new Random(seed, "scenario");
        const simulation = new Simulation<PaxosMessage>({
          seed,
          name: "paxos under faults",
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.15, duplicateRate: 0.1 },
        });
        const nodes = simulation.addNodes(ids, (context) => new PaxosNode(context));
        const watch = watchPaxos(simulation, nodes);
        const valueOf = (id: NodeId): string => `${id}'s value`;
        for (const id of ids) {
          simulation.at(random.int(0, 1_000), `${id} is asked to propose`, () => {
            if (simulation.isUp(id)) watch.propose(id, valueOf(id));
          });
        }
        // Nodes crash and come back throughout, and each restarted node is asked to propose a
        // new value: it must find out what its acceptors promised and accepted before the crash,
        // or an old proposal can sneak past a newer one.
        for (let fault = 1; fault <= 6; fault++) {
          const id = random.pick(ids);
          const crashAtMs = random.int(0, 1_500);
          const downMs = random.int(20, 400);
          simulation.at(crashAtMs, `crash ${id}`, () => simulation.crash(id));
          simulation.at(crashAtMs + downMs, `restart ${id}`, () => {
            if (simulation.isUp(id)) return;
            simulation.restart(id);
            watch.propose(id, `${id}'s value after restart ${fault}`);
          });
        }
        simulation.runFor(2_000);

        // The network settles, every node is up, and clients retry on nodes that know nothing.
        simulation.setNetwork({ lossRate: 0, duplicateRate: 0 });
        for (const id of ids) if (!simulation.isUp(id)) simulation.restart(id);
        for (const id of ids)
          if (nodes.node(id)!.chosen === undefined) watch.propose(id, valueOf(id));
        const learned = simulation.runUntil(
          () => nodes.liveNodes().every((node) => node.chosen !== undefined),
          { withinMs: 5_000 },
        );
        const values = nodes.liveNodes().map((node) => node.chosen);
        expect(
          learned,
          `once the network was stable and every node up, every node should have learned a value within 5 s (learned: ${JSON.stringify(values)})`,
        ).toBe(true);
        expect(new Set(values).size, `every node must learn the same value, got ${values}`).toBe(1);
      },
      { seeds: 15 },
    );
  });
});
