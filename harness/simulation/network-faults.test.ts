import { describe, expect, test } from "vitest";
import { Simulation } from "./simulation.js";
import type { LinkOptions, NodeContext, NodeId, SimulatedNode } from "./types.js";

type Probe = { sequence: number };

/** Sends what the test tells it to and remembers what arrived, when, and from whom. */
class ProbeNode implements SimulatedNode<Probe> {
  readonly received: Array<{ from: NodeId; sequence: number; atMs: number }> = [];
  readonly context: NodeContext<Probe>;

  constructor(context: NodeContext<Probe>) {
    this.context = context;
  }

  onMessage(from: NodeId, message: Probe): void {
    // Clocks have no offset or drift unless a test asks, so now() is true time here.
    this.received.push({ from, sequence: message.sequence, atMs: this.context.now() });
  }
}

/** A sender and a receiver; the sender sends `count` numbered messages at once. */
function sendBurst(seed: number, network: Partial<LinkOptions>, count: number) {
  const simulation = new Simulation<Probe>({ seed, network });
  const nodes = simulation.addNodes(["sender", "receiver"], (context) => new ProbeNode(context));
  simulation.act<ProbeNode>("sender", "send a burst", (sender) => {
    for (let sequence = 0; sequence < count; sequence++) {
      sender.context.send("receiver", { sequence });
    }
  });
  simulation.runUntilQuiet({ withinMs: 10_000 });
  return nodes.node("receiver")!.received;
}

/** Whether `observed` successes out of `trials` are within `sigmas` standard deviations of `rate`. */
function describeRate(observed: number, trials: number, rate: number, sigmas = 3) {
  const expected = trials * rate;
  const deviation = sigmas * Math.sqrt(trials * rate * (1 - rate));
  return {
    ok: Math.abs(observed - expected) <= deviation,
    text: `${observed} of ${trials} (expected ${expected} ± ${deviation.toFixed(0)})`,
  };
}

const messageCount = 10_000;

describe("Simulation: message loss, duplication and latency", () => {
  // Each rate is tried with its own seed: a run is deterministic, so one 10,000-message
  // sample per rate is enough, and 3 standard deviations keeps the check tight.
  test.for([
    [0.05, 1],
    [0.3, 2],
  ] as const)("about lossRate = %s of messages are lost (seed %s)", ([lossRate, seed]) => {
    const received = sendBurst(seed, { lossRate }, messageCount);
    const lost = messageCount - received.length;
    const rate = describeRate(lost, messageCount, lossRate);
    if (!rate.ok) expect.fail(`${rate.text} messages were lost`);
  });

  test("no message is lost at lossRate 0, and every message is lost at lossRate 1", () => {
    expect(sendBurst(1, { lossRate: 0 }, 1_000).length, "messages delivered at lossRate 0").toBe(
      1_000,
    );
    expect(sendBurst(1, { lossRate: 1 }, 1_000).length, "messages delivered at lossRate 1").toBe(0);
  });

  test.for([
    [0.05, 1],
    [0.3, 2],
  ] as const)(
    "about duplicateRate = %s of messages arrive twice (seed %s)",
    ([duplicateRate, seed]) => {
      const received = sendBurst(seed, { duplicateRate }, messageCount);
      const copies = new Map<number, number>();
      for (const { sequence } of received) copies.set(sequence, (copies.get(sequence) ?? 0) + 1);
      expect(copies.size, "every message should arrive at least once").toBe(messageCount);
      const tooMany = [...copies].find(([, count]) => count > 2);
      expect(tooMany, "a message should arrive at most twice").toBeUndefined();
      const duplicated = received.length - messageCount;
      const rate = describeRate(duplicated, messageCount, duplicateRate);
      if (!rate.ok) expect.fail(`${rate.text} messages arrived twice`);
    },
  );

  test("latency always lies within [min, max] and spreads over the whole range", () => {
    const latencyMs = { min: 5, max: 25 };
    const received = sendBurst(3, { latencyMs }, messageCount);
    const byLatency = new Map<number, number>();
    for (const { atMs } of received) {
      if (atMs < latencyMs.min || atMs > latencyMs.max)
        expect.fail(`a message sent at 0ms arrived at ${atMs}ms, outside [5, 25]`);
      byLatency.set(atMs, (byLatency.get(atMs) ?? 0) + 1);
    }
    const values = latencyMs.max - latencyMs.min + 1;
    const expected = messageCount / values;
    for (let latency = latencyMs.min; latency <= latencyMs.max; latency++) {
      const count = byLatency.get(latency) ?? 0;
      if (Math.abs(count - expected) > expected * 0.2) {
        expect.fail(
          `${count} of ${messageCount} messages took ${latency}ms; a uniform spread over ` +
            `${values} values gives about ${expected.toFixed(0)}`,
        );
      }
    }
  });

  test("a fractional latency range works as written", () => {
    const received = sendBurst(4, { latencyMs: { min: 0.5, max: 2.5 } }, 1_000);
    const outside = received.filter(({ atMs }) => atMs < 0.5 || atMs > 2.5);
    expect(outside, "messages that arrived outside [0.5, 2.5]ms").toEqual([]);
    const fractional = received.filter(({ atMs }) => !Number.isInteger(atMs));
    expect(fractional.length, "latencies between whole milliseconds").toBeGreaterThan(900);
  });

  test("a latency spread reorders messages", () => {
    const received = sendStream(5, { latencyMs: { min: 1, max: 50 } });
    const inversions = countInversions(received.map(({ sequence }) => sequence));
    expect(
      inversions,
      "with latencies from 1 to 50ms, some messages sent 1ms apart should overtake others",
    ).toBeGreaterThan(10);
  });

  test("with min = max latency, messages arrive in the order they were sent (FIFO)", () => {
    const received = sendStream(5, { latencyMs: { min: 7, max: 7 } });
    expect(received.length, "every message should arrive").toBe(400);
    expect(
      countInversions(received.map(({ sequence }) => sequence)),
      "messages that overtook an earlier one on a fixed-latency link",
    ).toBe(0);
  });
});

/** 400 numbered messages: bursts of four, one burst per millisecond. */
function sendStream(seed: number, network: Partial<LinkOptions>) {
  const simulation = new Simulation<Probe>({ seed, network });
  const nodes = simulation.addNodes(["sender", "receiver"], (context) => new ProbeNode(context));
  for (let burst = 0; burst < 100; burst++) {
    simulation.at(burst, `burst ${burst}`, () => {
      simulation.act<ProbeNode>("sender", "send", (sender) => {
        for (let index = 0; index < 4; index++)
          sender.context.send("receiver", { sequence: burst * 4 + index });
      });
    });
  }
  simulation.runUntilQuiet({ withinMs: 1_000 });
  return nodes.node("receiver")!.received;
}

function countInversions(sequence: readonly number[]): number {
  let inversions = 0;
  for (let index = 1; index < sequence.length; index++)
    if (sequence[index]! < sequence[index - 1]!) inversions++;
  return inversions;
}

const allIds = ["n1", "n2", "n3", "n4"];

/** Four probe nodes on a network with a fixed 10ms latency and no loss. */
function fourNodes() {
  const simulation = new Simulation<Probe>({
    seed: 1,
    network: { latencyMs: { min: 10, max: 10 } },
  });
  const nodes = simulation.addNodes(allIds, (context) => new ProbeNode(context));
  return { simulation, nodes };
}

/**
 * Which one-way links carry a message right now: every node sends to every other and the
 * result lists the links that delivered, as "n1→n2".
 */
function workingLinks({ simulation, nodes }: ReturnType<typeof fourNodes>): string[] {
  for (const node of nodes.liveNodes()) node.received.length = 0;
  for (const id of nodes.liveIds()) {
    simulation.act<ProbeNode>(id, "probe everyone", (node) => {
      for (const to of allIds) if (to !== id) node.context.send(to, { sequence: 0 });
    });
  }
  simulation.runFor(100);
  return nodes
    .liveIds()
    .flatMap((to) => nodes.node(to)!.received.map(({ from }) => `${from}→${to}`))
    .sort();
}

/** Every one-way link between distinct nodes for which `up(from, to)` holds, as "n1→n2". */
function linksWhere(up: (from: NodeId, to: NodeId) => boolean): string[] {
  return allIds
    .flatMap((from) =>
      allIds.filter((to) => to !== from && up(from, to)).map((to) => `${from}→${to}`),
    )
    .sort();
}

const everyLink = linksWhere(() => true);

describe("Simulation: partitions, cuts and links", () => {
  test("a partition blocks both ways between sides; each side still talks within itself", () => {
    const network = fourNodes();
    network.simulation.partition(["n1", "n2"], ["n3", "n4"]);
    const side = (id: NodeId) => (id === "n1" || id === "n2" ? 0 : 1);
    expect(workingLinks(network), "links that work across a [n1 n2] | [n3 n4] partition").toEqual(
      linksWhere((from, to) => side(from) === side(to)),
    );
  });

  test("nodes not named in a partition form one more side together", () => {
    const network = fourNodes();
    network.simulation.partition(["n1"], ["n2"]);
    const side = (id: NodeId) => (id === "n1" ? 0 : id === "n2" ? 1 : 2);
    expect(
      workingLinks(network),
      "with [n1] | [n2], n3 and n4 should reach each other and nobody else",
    ).toEqual(linksWhere((from, to) => side(from) === side(to)));
  });

  test("a new partition replaces the previous one", () => {
    const network = fourNodes();
    network.simulation.partition(["n1"], ["n2", "n3", "n4"]);
    network.simulation.partition(["n4"], ["n1", "n2", "n3"]);
    expect(workingLinks(network), "links after partitioning n1 off, then n4 instead").toEqual(
      linksWhere((from, to) => (from === "n4") === (to === "n4")),
    );
  });

  test("a partition naming a node twice is refused and leaves the network as it was", () => {
    const network = fourNodes();
    network.simulation.partition(["n1"], ["n2", "n3", "n4"]);
    expect(() => network.simulation.partition(["n1", "n2"], ["n2"]), "n2 on both sides").toThrow(
      /n2 is on two sides/,
    );
    expect(workingLinks(network), "the earlier partition should still hold").toEqual(
      linksWhere((from, to) => (from === "n1") === (to === "n1")),
    );
  });

  test("isolate cuts one node off both ways, and several isolations add up", () => {
    const network = fourNodes();
    network.simulation.isolate("n1");
    expect(workingLinks(network), "links with n1 isolated").toEqual(
      linksWhere((from, to) => from !== "n1" && to !== "n1"),
    );
    network.simulation.isolate("n2");
    expect(workingLinks(network), "links with n1 and then n2 isolated").toEqual(
      linksWhere((from, to) => ![from, to].some((id) => id === "n1" || id === "n2")),
    );
  });

  test("a cut blocks one direction only, and repair restores it", () => {
    const network = fourNodes();
    network.simulation.cut("n1", "n2");
    expect(workingLinks(network), "links with n1→n2 cut").toEqual(
      everyLink.filter((link) => link !== "n1→n2"),
    );
    network.simulation.repair("n1", "n2");
    expect(workingLinks(network), "links after repairing n1→n2").toEqual(everyLink);
  });

  test("heal ends partitions, isolations and cuts", () => {
    const network = fourNodes();
    network.simulation.partition(["n1", "n2"], ["n3"]);
    network.simulation.isolate("n4");
    network.simulation.cut("n1", "n2");
    expect(workingLinks(network), "links while faulty").not.toEqual(everyLink);
    network.simulation.heal();
    expect(workingLinks(network), "links after heal").toEqual(everyLink);
  });

  test("a message in flight when a partition starts is dropped, even if the partition heals later", () => {
    const { simulation, nodes } = fourNodes();
    simulation.act<ProbeNode>("n1", "send", (node) => node.context.send("n3", { sequence: 1 }));
    simulation.runFor(5);
    simulation.partition(["n1"], ["n3"]);
    simulation.runFor(10);
    simulation.heal();
    simulation.runFor(100);
    expect(nodes.node("n3")!.received, "what n3 received").toEqual([]);
    const drop = simulation.trace().find((event) => event.kind === "drop");
    expect(drop?.timeMs, "the message should be dropped when it arrives, at 10ms").toBe(10);
    expect(drop?.detail, "the reason the trace gives").toBe("partitioned");
  });

  test("setLink changes one direction of one link, and clearLink restores the defaults", () => {
    const network = fourNodes();
    network.simulation.setLink("n1", "n2", { lossRate: 1 });
    expect(workingLinks(network), "links with n1→n2 losing everything").toEqual(
      everyLink.filter((link) => link !== "n1→n2"),
    );
    network.simulation.clearLink("n1", "n2");
    expect(workingLinks(network), "links after clearLink").toEqual(everyLink);
  });

  test("setLink latency applies to that link only, keeps the default loss, and survives heal", () => {
    const { simulation, nodes } = fourNodes();
    simulation.setLink("n1", "n2", { latencyMs: { min: 30, max: 30 } });
    simulation.heal();
    simulation.act<ProbeNode>("n1", "send", (node) => {
      node.context.send("n2", { sequence: 1 });
      node.context.send("n3", { sequence: 2 });
    });
    simulation.act<ProbeNode>("n2", "send", (node) => node.context.send("n1", { sequence: 3 }));
    simulation.runFor(100);
    expect(nodes.node("n2")!.received[0]?.atMs, "arrival on the slow link n1→n2").toBe(30);
    expect(nodes.node("n3")!.received[0]?.atMs, "arrival on n1→n3, at the default").toBe(10);
    expect(nodes.node("n1")!.received[0]?.atMs, "arrival on n2→n1, the other direction").toBe(10);
  });

  test("setNetwork changes every link's defaults, but not links with their own settings", () => {
    const network = fourNodes();
    network.simulation.setNetwork({ lossRate: 1 });
    expect(workingLinks(network), "links with the default loss at 100%").toEqual([]);
    network.simulation.setLink("n3", "n4", { lossRate: 0 });
    expect(workingLinks(network), "links when only n3→n4 has its own loss of 0").toEqual(["n3→n4"]);
    network.simulation.clearLink("n3", "n4");
    network.simulation.setNetwork({ lossRate: 0 });
    expect(workingLinks(network), "links once loss is back to 0").toEqual(everyLink);
  });

  test("impossible link settings are refused with the setting named", () => {
    const { simulation } = fourNodes();
    expect(() => simulation.setNetwork({ lossRate: 1.5 }), "lossRate 1.5").toThrow(/lossRate/);
    expect(() => simulation.setNetwork({ duplicateRate: -0.1 }), "duplicateRate -0.1").toThrow(
      /duplicateRate/,
    );
    expect(
      () => simulation.setLink("n1", "n2", { latencyMs: { min: 10, max: 5 } }),
      "latency with min > max",
    ).toThrow(/latencyMs/);
    expect(
      () => simulation.setNetwork({ latencyMs: { min: 1, max: Infinity } }),
      "latency without an upper bound",
    ).toThrow(/latencyMs/);
    expect(() => simulation.partition(["n1"], ["n9"]), "a partition naming no such node").toThrow(
      /n9/,
    );
  });
});
