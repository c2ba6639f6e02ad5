import { describe, expect, test } from "vitest";
import {
  forEachSeed,
  Random,
  Simulation,
  type NodeGroup,
  type NodeId,
} from "../../harness/testing.js";
import {
  GossipNode,
  gossipSettings,
  type EndpointState,
  type GossipMessage,
} from "./cassandra-gossip.js";
import {
  disagreeAbout,
  GossipProbe,
  recordSends,
  sampled,
  viewGaps,
  type SentGossip,
} from "./gossip-checks.js";

// Exercise 5.5 — Cassandra-style gossip membership. Run: npm run workbook -- test 5.5

const ids = (count: number): NodeId[] => Array.from({ length: count }, (_, i) => `n${i + 1}`);
const { intervalMs } = gossipSettings;

/** Whether every live node holds every live endpoint's current generation and states. */
const converged = (simulation: Simulation<GossipMessage>, nodes: NodeGroup<GossipNode>) =>
  sampled(simulation, () => viewGaps(nodes, 1).length === 0);

/** What n1 knows about x at the start of every digest test: generation 5, up to version 10. */
const xState: EndpointState = {
  heartbeat: { generation: 5, version: 10 },
  application: {
    status: { value: "NORMAL", version: 3 },
    load: { value: "1.0", version: 8 },
  },
};

/**
 * n1 alone (its own seed), and silent stand-ins: the probe that talks to it, and x and y, the
 * endpoints the probe tells it about. n1 is told x's state first, with an ack2.
 */
function withProbe(seed: number, name: string) {
  const simulation = new Simulation<GossipMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 1 } },
  });
  const nodes = simulation.addNodes(["n1"], (context) => new GossipNode(context, ["n1"]));
  simulation.addNodes(["probe", "x", "y"], (context) => new GossipProbe(context));
  const probe = simulation.node<GossipProbe>("probe")!;
  const send = (message: GossipMessage): void => {
    simulation.act<GossipProbe>("probe", `probe sends ${message.type} → n1`, (instance) =>
      instance.send("n1", message),
    );
    simulation.runFor(3);
  };
  send({ type: "ack2", states: { x: xState } });
  const n1 = () => nodes.node("n1")!;
  /** n1's ack to a syn holding exactly `digests`. */
  const ackTo = (digests: Array<[NodeId, number, number]>) => {
    send({
      type: "syn",
      digests: digests.map(([endpoint, generation, maxVersion]) => ({
        endpoint,
        generation,
        maxVersion,
      })),
    });
    return probe.last("n1", "ack");
  };
  return { simulation, n1, probe, send, ackTo };
}

describe("5.5 Cassandra gossip: comparing digests, rule by rule", () => {
  test("same generation and version: nothing to send, nothing to ask", () => {
    forEachSeed(
      (seed) => {
        const { n1, ackTo } = withProbe(seed, "digest equal");
        expect(n1().view()["x"], "n1 should have taken x's state from the ack2").toEqual(xState);
        expect(
          ackTo([["x", 5, 10]]),
          "the probe's digest of x (generation 5, version 10) matches n1's: the ack must be empty",
        ).toEqual({ type: "ack", requests: [], states: {} });
      },
      { seeds: 2 },
    );
  });

  test("same generation, an older version: the peer sends only what is newer", () => {
    forEachSeed(
      (seed) => {
        const { ackTo } = withProbe(seed, "digest older");
        expect(
          ackTo([["x", 5, 7]]),
          "the probe knows x up to version 7: n1 must send x's heartbeat and only the application states above 7 (load at 8, not status at 3)",
        ).toEqual({
          type: "ack",
          requests: [],
          states: {
            x: {
              heartbeat: { generation: 5, version: 10 },
              application: { load: { value: "1.0", version: 8 } },
            },
          },
        });
      },
      { seeds: 2 },
    );
  });

  test("same generation, a newer version: the peer asks for what is above its own", () => {
    forEachSeed(
      (seed) => {
        const { ackTo } = withProbe(seed, "digest newer");
        expect(
          ackTo([["x", 5, 12]]),
          "the probe knows x up to version 12, n1 only up to 10: n1 must ask for x above version 10",
        ).toEqual({
          type: "ack",
          requests: [{ endpoint: "x", generation: 5, maxVersion: 10 }],
          states: {},
        });
      },
      { seeds: 2 },
    );
  });

  test("a newer generation: the whole state is asked for, whatever the versions say", () => {
    forEachSeed(
      (seed) => {
        const { ackTo } = withProbe(seed, "digest restarted");
        expect(
          ackTo([["x", 6, 1]]),
          "x restarted (generation 6): its version 1 is newer than anything of generation 5, so n1 must ask for all of it (above version 0)",
        ).toEqual({
          type: "ack",
          requests: [{ endpoint: "x", generation: 6, maxVersion: 0 }],
          states: {},
        });
        expect(
          ackTo([["x", 4, 99]]),
          "the probe knows only x's older generation 4: n1 must send x's whole state, though 99 > 10",
        ).toEqual({ type: "ack", requests: [], states: { x: xState } });
      },
      { seeds: 2 },
    );
  });

  test("an unknown endpoint: its whole state is asked for", () => {
    forEachSeed(
      (seed) => {
        const { ackTo } = withProbe(seed, "digest unknown");
        expect(
          ackTo([
            ["y", 1, 3],
            ["x", 5, 10],
          ]),
          "n1 has never heard of y: it must ask for all of y, and say nothing about x, which it has in full",
        ).toEqual({
          type: "ack",
          requests: [{ endpoint: "y", generation: 1, maxVersion: 0 }],
          states: {},
        });
      },
      { seeds: 2 },
    );
  });

  test("an ack is applied and answered with an ack2 of exactly what was requested", () => {
    forEachSeed(
      (seed) => {
        const { n1, probe, send } = withProbe(seed, "ack");
        const yState: EndpointState = {
          heartbeat: { generation: 2, version: 4 },
          application: { status: { value: "NORMAL", version: 1 } },
        };
        send({
          type: "ack",
          requests: [{ endpoint: "x", generation: 5, maxVersion: 8 }],
          states: { y: yState },
        });
        expect(n1().view()["y"], "n1 must take y's state from the ack").toEqual(yState);
        expect(
          probe.last("n1", "ack2"),
          "the probe asked for x above version 8: the ack2 must hold x's heartbeat (10) and no application state (none is above 8)",
        ).toEqual({
          type: "ack2",
          states: { x: { heartbeat: { generation: 5, version: 10 }, application: {} } },
        });
      },
      { seeds: 2 },
    );
  });

  test("states are applied by generation, then version by version; old and late states are ignored", () => {
    forEachSeed(
      (seed) => {
        const { n1, send } = withProbe(seed, "apply");
        const x = () => n1().view()["x"];
        send({
          type: "ack2",
          states: {
            x: {
              heartbeat: { generation: 5, version: 12 },
              application: { load: { value: "2.0", version: 12 } },
            },
          },
        });
        expect(
          x(),
          "a delta of generation 5 brings a newer heartbeat and load; status, not in the delta, must stay",
        ).toEqual({
          heartbeat: { generation: 5, version: 12 },
          application: {
            status: { value: "NORMAL", version: 3 },
            load: { value: "2.0", version: 12 },
          },
        });
        const before = x();
        send({
          type: "ack2",
          states: {
            x: {
              heartbeat: { generation: 5, version: 9 },
              application: { load: { value: "0.5", version: 9 } },
            },
          },
        });
        expect(x(), "a late delta of generation 5 at version 9 must change nothing").toEqual(
          before,
        );
        send({
          type: "ack2",
          states: {
            x: {
              heartbeat: { generation: 4, version: 500 },
              application: { load: { value: "9.9", version: 500 } },
            },
          },
        });
        expect(
          x(),
          "a state from x's older generation 4 must be ignored, however high its versions",
        ).toEqual(before);
        const restarted: EndpointState = {
          heartbeat: { generation: 6, version: 2 },
          application: { status: { value: "NORMAL", version: 1 } },
        };
        send({ type: "ack2", states: { x: restarted } });
        expect(
          x(),
          "generation 6 means x restarted: its new state replaces the old one whole (no load left over)",
        ).toEqual(restarted);
        send({
          type: "ack2",
          states: {
            n1: {
              heartbeat: { generation: 99, version: 1 },
              application: { status: { value: "LEFT", version: 1 } },
            },
          },
        });
        expect(
          n1().view()["n1"]?.application["status"]?.value,
          "nobody else may tell n1 what its own state is",
        ).toBe("NORMAL");
      },
      { seeds: 2 },
    );
  });
});

/** A cluster of `size` nodes with `seeds`, each node's sends recorded. */
function cluster(seed: number, name: string, size: number, options: { lossRate?: number } = {}) {
  const simulation = new Simulation<GossipMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 20 }, lossRate: options.lossRate ?? 0 },
  });
  const sent: SentGossip[] = [];
  const seeds = ["n1", "n2"];
  const nodes = simulation.addNodes(
    ids(size),
    (context) => new GossipNode(recordSends(context, sent), seeds),
  );
  return { simulation, nodes, sent };
}

describe("5.5 Cassandra gossip: membership", () => {
  test("views converge within O(log N) rounds, gossiping with random peers, never with yourself", () => {
    forEachSeed(
      (seed) => {
        for (const size of [8, 16]) {
          const { simulation, nodes, sent } = cluster(seed, `converge ${size}`, size);
          // Knowing only the seeds, every node must learn every other: log2 N rounds for the
          // news to spread and a few more for the last ones, as push-pull gossip does.
          const rounds = 2 * Math.ceil(Math.log2(size)) + 4;
          const settled = simulation.runUntil(converged(simulation, nodes), {
            withinMs: rounds * intervalMs,
          });
          expect(
            settled,
            `${size} nodes should know each other within ${rounds} rounds: ${viewGaps(nodes, 3).join("; ")}`,
          ).toBe(true);
          simulation.runFor(20 * intervalMs);
          for (const id of nodes.ids) {
            const targets = sent
              .filter((each) => each.from === id && each.message.type === "syn")
              .map((each) => each.to);
            expect(targets, `${id} sent a syn to itself`).not.toContain(id);
            expect(
              new Set(targets).size,
              `${id} started exchanges with only ${[...new Set(targets)].join(", ")}: a random live peer each round should reach at least 4`,
            ).toBeGreaterThanOrEqual(4);
          }
        }
      },
      { seeds: 2 },
    );
  });

  test("an application-state change reaches everyone, carried as a delta", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes, sent } = cluster(seed, "change", 10);
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        simulation.runFor(5 * intervalMs);
        const from = sent.length;
        simulation.act<GossipNode>("n7", "n7's load changes", (node) =>
          node.setApplicationState("load", "0.73"),
        );
        const reached = simulation.runUntil(converged(simulation, nodes), {
          withinMs: 12 * intervalMs,
        });
        expect(
          reached,
          `n7's new load should reach every node within 12 rounds: ${viewGaps(nodes, 3).join("; ")}`,
        ).toBe(true);
        // In a settled cluster, an exchange carries heartbeats and the one change, never the
        // states everyone already has.
        for (const { from: sender, to, message } of sent.slice(from)) {
          if (message.type === "syn") continue;
          for (const [endpoint, state] of Object.entries(message.states)) {
            const keys = Object.keys(state.application);
            const allowed = endpoint === "n7" && keys.every((key) => key === "load");
            if (keys.length > 0 && !allowed)
              expect.fail(
                `${sender} sent ${to} an ${message.type} with ${endpoint}'s application states ${keys.join(", ")}, which had not changed: send only what the peer lacks`,
              );
          }
        }
      },
      { seeds: 4 },
    );
  });

  test("a restarted node's new generation replaces its old state everywhere", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = cluster(seed, "restart", 8);
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        simulation.act<GossipNode>("n5", "n5 takes tokens", (node) =>
          node.setApplicationState("tokens", "42,97"),
        );
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        const oldGeneration = nodes.node("n5")!.generation;
        simulation.crash("n5");
        simulation.runFor(3 * intervalMs);
        simulation.restart("n5");
        expect(
          nodes.node("n5")!.generation,
          "a restarted node must start a new generation, above the last one (keep it in storage)",
        ).toBeGreaterThan(oldGeneration);
        const replaced = simulation.runUntil(converged(simulation, nodes), {
          withinMs: 15 * intervalMs,
        });
        expect(
          replaced,
          `within 15 rounds every node should hold n5's new generation and no tokens from its old life: ${viewGaps(nodes, 3).join("; ")}`,
        ).toBe(true);
      },
      { seeds: 4 },
    );
  });
});

describe("5.5 Cassandra gossip: failure detection", () => {
  test("each node marks a crashed peer down on its own, and up again when it restarts", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = cluster(seed, "detect", 6);
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        simulation.runFor(30 * intervalMs);
        expect(disagreeAbout(nodes, "n4", true), "before the crash everyone marks n4 up").toEqual(
          [],
        );
        simulation.crash("n4");
        // Cassandra's exponential phi reaches 8 after 8 · ln 10 ≈ 18.4 mean intervals.
        const down = simulation.runUntil(
          sampled(simulation, () => disagreeAbout(nodes, "n4", false).length === 0),
          {
            withinMs: 35 * intervalMs,
          },
        );
        expect(
          down,
          `within 35 s of n4's crash every node should mark it down by its own phi detector; ${disagreeAbout(nodes, "n4", false).join(", ")} still mark it up`,
        ).toBe(true);
        simulation.restart("n4");
        const up = simulation.runUntil(
          sampled(simulation, () => disagreeAbout(nodes, "n4", true).length === 0),
          {
            withinMs: 10 * intervalMs,
          },
        );
        expect(
          up,
          `n4 restarted: within 10 rounds every node should see its new heartbeats and mark it up; ${disagreeAbout(nodes, "n4", true).join(", ")} do not`,
        ).toBe(true);
      },
      { seeds: 4 },
    );
  });

  test("a paused node is marked down, and up again when it resumes", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = cluster(seed, "pause", 6);
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        simulation.runFor(20 * intervalMs);
        simulation.pause("n3");
        const down = simulation.runUntil(
          sampled(simulation, () => disagreeAbout(nodes, "n3", false).length === 0),
          {
            withinMs: 35 * intervalMs,
          },
        );
        expect(down, "a node paused for good is marked down by every other").toBe(true);
        simulation.resume("n3");
        const up = simulation.runUntil(
          sampled(simulation, () => disagreeAbout(nodes, "n3", true).length === 0),
          {
            withinMs: 10 * intervalMs,
          },
        );
        expect(
          up,
          `n3 resumed in the same generation: its newer heartbeats must bring it back up; ${disagreeAbout(nodes, "n3", true).join(", ")} still mark it down`,
        ).toBe(true);
      },
      { seeds: 3 },
    );
  });

  test("no node is special except seeds for joining: with both seeds down, news still spreads", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = cluster(seed, "seeds down", 9, { lossRate: 0.1 });
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        simulation.crash("n1");
        simulation.crash("n2");
        const random = new Random(seed, "changes");
        const changer = random.pick(ids(9).slice(2));
        simulation.act<GossipNode>(changer, `${changer} leaves`, (node) =>
          node.setApplicationState("status", "LEAVING"),
        );
        const spread = simulation.runUntil(converged(simulation, nodes), {
          withinMs: 15 * intervalMs,
        });
        expect(
          spread,
          `both seeds are down and the network loses 10 %; ${changer}'s news must still reach every live node: ${viewGaps(nodes, 3).join("; ")}`,
        ).toBe(true);
      },
      { seeds: 4 },
    );
  });

  test("views converge through 10 % loss, a one-way cut and a healed partition", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "schedule");
        const size = random.pick([7, 10]);
        const { simulation, nodes } = cluster(seed, "partition", size, { lossRate: 0.1 });
        simulation.runUntil(converged(simulation, nodes), { withinMs: 20 * intervalMs });
        const shuffled = random.shuffle(ids(size));
        const half = Math.floor(size / 2);
        simulation.partition(shuffled.slice(0, half), shuffled.slice(half));
        simulation.cut(shuffled[0]!, shuffled[1]!);
        for (const id of [shuffled[0]!, shuffled.at(-1)!])
          simulation.act<GossipNode>(id, `${id} changes its load`, (node) =>
            node.setApplicationState("load", `${id} under partition`),
          );
        simulation.runFor(10 * intervalMs);
        simulation.heal();
        const settled = simulation.runUntil(converged(simulation, nodes), {
          withinMs: 25 * intervalMs,
        });
        expect(
          settled,
          `after the partition heals (one link still cut one way), both sides' changes should reach everyone: ${viewGaps(nodes, 3).join("; ")}`,
        ).toBe(true);
      },
      { seeds: 6 },
    );
  });
});
