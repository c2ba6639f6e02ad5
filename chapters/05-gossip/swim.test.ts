import { describe, expect, test } from "vitest";
import {
  forEachSeed,
  Random,
  Simulation,
  totalMessageCounts,
  type NodeId,
} from "../../harness/testing.js";
import { notYetAliveFor, notYetDeadFor, SwimProbe, watchAccuracy } from "./swim-checks.js";
import {
  retransmitLimit,
  swimSettings,
  SwimNode,
  type MemberUpdate,
  type SwimMessage,
} from "./swim.js";

// Exercise 5.4 — SWIM membership with suspicion. Run: npm run workbook -- test 5.4

const ids = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);
const { periodMs, suspicionTimeoutMs } = swimSettings;

/** SWIM members `members`, and silent stand-ins `probes` that the test drives by hand. */
function withProbe(
  seed: number,
  name: string,
  members: NodeId[],
  probes: NodeId[] = ["probe"],
  latencyMs = { min: 1, max: 1 },
) {
  const simulation = new Simulation<SwimMessage>({ seed, name, network: { latencyMs } });
  const nodes = simulation.addNodes(members, (context) => new SwimNode(context));
  simulation.addNodes(probes, (context) => new SwimProbe(context));
  const probe = simulation.node<SwimProbe>("probe")!;
  const send = (to: NodeId, message: SwimMessage): void => {
    simulation.act<SwimProbe>("probe", `probe sends ${message.type} → ${to}`, (instance) =>
      instance.send(to, message),
    );
    simulation.runFor(3);
  };
  const ping = (to: NodeId, updates: MemberUpdate[], sequence = 1): void =>
    send(to, { type: "ping", sequence, updates });
  return { simulation, nodes, probe, send, ping };
}

describe("5.4 SWIM: the rules", () => {
  test("a member answers a ping with an ack of the same sequence", () => {
    forEachSeed(
      (seed) => {
        const { probe, ping } = withProbe(seed, "ack", ["n1", "n2", "n3"]);
        ping("n1", [], 41);
        const acks = probe.received.filter((received) => received.message.type === "ack");
        expect(
          acks.map(({ from, message }) => ({
            from,
            sequence: message.sequence,
            target: message.type === "ack" ? message.target : undefined,
          })),
          "a ping numbered 41 must get one ack numbered 41 from n1, with n1 as its target",
        ).toEqual([{ from: "n1", sequence: 41, target: "n1" }]);
      },
      { seeds: 3 },
    );
  });

  test("a member asked to probe for another pings the target and relays its ack", () => {
    forEachSeed(
      (seed) => {
        const { simulation, probe, send } = withProbe(seed, "ping-req", ["n1", "n2", "n3"]);
        send("n1", { type: "ping-req", sequence: 7, target: "n2", updates: [] });
        simulation.runFor(10);
        const relayed = probe.received
          .filter((received) => received.message.type === "ack")
          .map(({ from, message }) => ({
            from,
            sequence: message.sequence,
            target: message.type === "ack" ? message.target : undefined,
          }));
        expect(
          relayed,
          "the probe asked n1 to ping n2 for its probe number 7: n1 must relay n2's ack as an ack numbered 7 with target n2",
        ).toEqual([{ from: "n1", sequence: 7, target: "n2" }]);
        simulation.crash("n3");
        send("n1", { type: "ping-req", sequence: 8, target: "n3", updates: [] });
        simulation.runFor(100);
        expect(
          probe.received.filter((received) => received.message.sequence === 8),
          "n3 is crashed and cannot ack: n1 must not answer the probe's request about it",
        ).toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("news overrides by incarnation: newer wins, stale and late news is ignored, dead is final", () => {
    forEachSeed(
      (seed) => {
        // n1 alone, told about n3 (a silent stand-in) by the probe, all within n1's first
        // period, so that n1's own probes of n3 cannot interfere.
        const { nodes, ping } = withProbe(seed, "overrides", ["n1"], ["probe", "n3"]);
        const view = () => nodes.node("n1")!.member("n3");
        const steps: Array<[MemberUpdate, { state: string; incarnation: number }, string]> = [
          [
            { member: "n3", state: "alive", incarnation: 2 },
            { state: "alive", incarnation: 2 },
            "news of a member n1 had never heard of is taken as it is",
          ],
          [
            { member: "n3", state: "suspect", incarnation: 1 },
            { state: "alive", incarnation: 2 },
            "a suspicion at incarnation 1 is stale next to alive at 2 and must be ignored",
          ],
          [
            { member: "n3", state: "suspect", incarnation: 2 },
            { state: "suspect", incarnation: 2 },
            "a suspicion at incarnation 2 overrides alive at 2",
          ],
          [
            { member: "n3", state: "alive", incarnation: 2 },
            { state: "suspect", incarnation: 2 },
            "a late alive at incarnation 2 must not override the suspicion at 2: only a higher incarnation refutes",
          ],
          [
            { member: "n3", state: "alive", incarnation: 3 },
            { state: "alive", incarnation: 3 },
            "alive at incarnation 3 refutes the suspicion at 2",
          ],
          [
            { member: "n3", state: "suspect", incarnation: 2 },
            { state: "alive", incarnation: 3 },
            "a duplicated, late suspicion at 2 must not override alive at 3",
          ],
          [
            { member: "n3", state: "dead", incarnation: 1 },
            { state: "dead", incarnation: 1 },
            "dead overrides everything, whatever its incarnation",
          ],
          [
            { member: "n3", state: "alive", incarnation: 9 },
            { state: "dead", incarnation: 1 },
            "nothing overrides dead, not even alive at a higher incarnation",
          ],
        ];
        for (const [update, expected, why] of steps) {
          ping("n1", [update]);
          expect(
            view(),
            `after ${update.state} n3 at incarnation ${update.incarnation}: ${why}`,
          ).toEqual(expected);
        }
      },
      { seeds: 3 },
    );
  });

  test("a suspected member refutes with a higher incarnation, once per suspicion", () => {
    forEachSeed(
      (seed) => {
        const { nodes, probe, ping } = withProbe(seed, "refute", ["n1", "n2", "n3"]);
        const n1 = () => nodes.node("n1")!;
        ping("n1", [{ member: "n1", state: "suspect", incarnation: 0 }]);
        expect(
          n1().incarnation,
          "n1 heard it is suspected at incarnation 0: it must refute with incarnation 1",
        ).toBe(1);
        ping("n1", []);
        expect(
          probe.updatesFrom("n1"),
          "n1's next messages must carry its refutation, alive at incarnation 1",
        ).toContainEqual({ member: "n1", state: "alive", incarnation: 1 });
        ping("n1", [{ member: "n1", state: "suspect", incarnation: 0 }]);
        expect(
          n1().incarnation,
          "a late copy of the suspicion at 0 is already refuted: the incarnation stays 1",
        ).toBe(1);
        ping("n1", [{ member: "n1", state: "suspect", incarnation: 1 }]);
        expect(n1().incarnation, "a new suspicion at 1 is refuted with incarnation 2").toBe(2);
      },
      { seeds: 3 },
    );
  });

  test("a member's messages to a suspect carry the suspicion, even after the news was dropped", () => {
    forEachSeed(
      (seed) => {
        // n1 alone, told that n3 (a silent stand-in) is suspected; the probe's pings make n1
        // pass that news on until its retransmit limit drops it.
        const { simulation, ping } = withProbe(seed, "buddy", ["n1"], ["probe", "n3"]);
        ping("n1", [{ member: "n3", state: "suspect", incarnation: 0 }]);
        for (let round = 2; round <= 2 + retransmitLimit(1); round++) ping("n1", [], round);
        const droppedAtMs = simulation.nowMs;
        simulation.runFor(3 * periodMs);
        const n3 = simulation.node<SwimProbe>("n3")!;
        const pings = n3.received.filter((received) => received.message.type === "ping");
        expect(pings.length, "n1 should keep probing n3, its only member").toBeGreaterThan(0);
        for (const { message } of pings)
          expect(
            message.updates,
            `after ${droppedAtMs} ms n1 no longer passes the news on, but every ping it sends n3 must still tell n3 it is suspected, so that n3 can refute`,
          ).toContainEqual({ member: "n3", state: "suspect", incarnation: 0 });
      },
      { seeds: 5 },
    );
  });

  test("an update is passed on a bounded number of times, then dropped", () => {
    forEachSeed(
      (seed) => {
        const { simulation, probe, ping } = withProbe(seed, "retransmit", ids(3));
        const news: MemberUpdate = { member: "n2", state: "alive", incarnation: 1 };
        ping("n1", [news]);
        for (let round = 2; round <= 100; round++) {
          ping("n1", [], round);
          simulation.runFor(97);
        }
        const carried = probe
          .updatesFrom("n1")
          .filter((update) => JSON.stringify(update) === JSON.stringify(news)).length;
        const limit = retransmitLimit(3);
        expect(
          carried,
          "n1 accepted alive n2 at incarnation 1: it must pass the news on, piggybacked on its acks",
        ).toBeGreaterThan(0);
        expect(
          carried,
          `n1 passed the same news on ${carried} times to the probe alone; retransmitLimit(3) = ${limit} sends in all`,
        ).toBeLessThanOrEqual(limit);
        const lastAcks = probe.received.filter((received) => received.message.sequence > 90);
        expect(
          lastAcks.flatMap((received) => received.message.updates),
          "10 s later, with nothing new, n1's acks should carry no updates at all",
        ).toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("a member that misses its direct pings but answers indirect probes is not suspected", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<SwimMessage>({
          seed,
          name: "indirect",
          network: { latencyMs: { min: 1, max: 20 } },
        });
        const nodes = simulation.addNodes(ids(5), (context) => new SwimNode(context));
        const { suspicions } = watchAccuracy(simulation, nodes);
        // n1 and n2 cannot talk directly, either way; everyone else can reach both.
        simulation.cut("n1", "n2");
        simulation.cut("n2", "n1");
        simulation.runFor(20_000);
        expect(
          suspicions().filter(
            (suspicion) => suspicion === "n1 suspected n2" || suspicion === "n2 suspected n1",
          ),
          "n1's pings to n2 are lost, but the indirect probes through n3, n4 and n5 get through: neither may suspect the other",
        ).toEqual([]);
      },
      { seeds: 5 },
    );
  });
});

describe("5.4 SWIM: on a hostile network", () => {
  test("with 10 % loss and indirect probes, no live member is declared dead", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<SwimMessage>({
          seed,
          name: "lossy membership",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.1, duplicateRate: 0.05 },
        });
        const nodes = simulation.addNodes(
          ids(new Random(seed, "size").pick([7, 8])),
          (context) => new SwimNode(context),
        );
        watchAccuracy(simulation, nodes);
        simulation.runFor(30_000);
        for (const viewer of nodes.ids)
          for (const member of nodes.ids) {
            if (viewer === member) continue;
            expect(
              nodes.node(viewer)!.member(member)?.state,
              `after 30 s with 10 % loss, ${viewer} should see ${member} alive or, briefly, suspected`,
            ).not.toBe("dead");
          }
      },
      { seeds: 6 },
    );
  });

  test("a crashed member is declared dead by every live member within the bound", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "schedule");
        const simulation = new Simulation<SwimMessage>({
          seed,
          name: "crash",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.05 },
        });
        const cluster = ids(random.pick([5, 8, 12]));
        const nodes = simulation.addNodes(cluster, (context) => new SwimNode(context));
        simulation.runFor(2_000);
        const crashed = random.pick(cluster);
        simulation.crash(crashed);
        // The notes derive the bound: a few periods until some member probes it, the suspicion
        // timeout, and the O(log N) periods the news takes to reach everyone.
        const boundMs =
          3 * periodMs + suspicionTimeoutMs + retransmitLimit(cluster.length) * periodMs;
        const detected = simulation.runUntil(() => notYetDeadFor(nodes, crashed).length === 0, {
          withinMs: boundMs,
        });
        expect(
          detected,
          `${crashed} crashed at 2 s; within ${boundMs} ms every live member should see it dead, but ${notYetDeadFor(nodes, crashed).join(", ")} still do not`,
        ).toBe(true);
      },
      { seeds: 8 },
    );
  });

  test("a paused member is suspected, and recovers when it resumes in time", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<SwimMessage>({
          seed,
          name: "pause",
          network: { latencyMs: { min: 1, max: 20 } },
        });
        const nodes = simulation.addNodes(ids(6), (context) => new SwimNode(context));
        const { suspicions } = watchAccuracy(simulation, nodes);
        simulation.runFor(1_000);
        simulation.pause("n3");
        simulation.runFor(suspicionTimeoutMs / 2);
        expect(
          suspicions().some((suspicion) => suspicion.endsWith("suspected n3")),
          `n3 was paused for ${suspicionTimeoutMs / 2} ms, several periods: some member should have suspected it`,
        ).toBe(true);
        simulation.resume("n3");
        const recovered = simulation.runUntil(() => notYetAliveFor(nodes, "n3", 1).length === 0, {
          withinMs: suspicionTimeoutMs,
        });
        expect(
          recovered,
          `after resuming, n3 should refute and every member see it alive at incarnation 1 or more; ${notYetAliveFor(nodes, "n3", 1).join(", ")} do not`,
        ).toBe(true);
      },
      { seeds: 5 },
    );
  });

  test("a member paused for longer than the suspicion timeout is declared dead", () => {
    forEachSeed(
      (seed) => {
        const simulation = new Simulation<SwimMessage>({ seed, name: "long pause" });
        const nodes = simulation.addNodes(ids(6), (context) => new SwimNode(context));
        simulation.runFor(1_000);
        simulation.pause("n4");
        const boundMs = 3 * periodMs + suspicionTimeoutMs + retransmitLimit(6) * periodMs;
        const dead = simulation.runUntil(() => notYetDeadFor(nodes, "n4").length === 0, {
          withinMs: boundMs,
        });
        expect(
          dead,
          `n4 stopped answering for good: within ${boundMs} ms every member should see it dead, but ${notYetDeadFor(nodes, "n4").join(", ")} do not`,
        ).toBe(true);
      },
      { seeds: 3 },
    );
  });

  test("one-way link failures do not get a live member declared dead", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "cuts");
        const simulation = new Simulation<SwimMessage>({
          seed,
          name: "one-way",
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.02 },
        });
        const cluster = ids(8);
        const nodes = simulation.addNodes(cluster, (context) => new SwimNode(context));
        watchAccuracy(simulation, nodes);
        // Every member loses one outgoing link, chosen at random, for the whole run.
        for (const from of cluster)
          simulation.cut(from, random.pick(cluster.filter((id) => id !== from)));
        simulation.runFor(20_000);
        const dead = cluster.flatMap((viewer) =>
          cluster.filter((member) => nodes.node(viewer)!.member(member)?.state === "dead"),
        );
        expect(dead, "every member is up, so no member may be seen as dead").toEqual([]);
      },
      { seeds: 5 },
    );
  });
});

describe("5.4 SWIM: efficiency", () => {
  test("each member's message load per protocol period stays the same as the group grows", () => {
    forEachSeed(
      (seed) => {
        const loadFor = (size: number): { mean: number; max: number } => {
          const simulation = new Simulation<SwimMessage>({ seed, name: `load ${size}` });
          simulation.addNodes(ids(size), (context) => new SwimNode(context));
          simulation.runFor(periodMs);
          const before = simulation.messageCounts();
          const periods = 20;
          simulation.runFor(periods * periodMs);
          const after = simulation.messageCounts();
          const perNode = Object.keys(after).map(
            (id) => (after[id]!.sent - (before[id]?.sent ?? 0)) / periods,
          );
          const total = totalMessageCounts(after).sent - totalMessageCounts(before).sent;
          return { mean: total / periods / size, max: Math.max(...perNode) };
        };
        const small = loadFor(8);
        const large = loadFor(32);
        for (const [size, load] of [
          [8, small],
          [32, large],
        ] as const) {
          expect(
            load.mean,
            `with ${size} members, each sent ${load.mean.toFixed(2)} messages per period on average: a ping and an ack make 2`,
          ).toBeLessThanOrEqual(2.5);
          expect(
            load.max,
            `with ${size} members, the busiest sent ${load.max.toFixed(2)} messages per period`,
          ).toBeLessThanOrEqual(4);
        }
        expect(
          large.mean,
          `a member's load must not grow with the group: ${small.mean.toFixed(2)} per period with 8 members, ${large.mean.toFixed(2)} with 32`,
        ).toBeLessThanOrEqual(small.mean * 1.2);
      },
      { seeds: 2 },
    );
  });
});
