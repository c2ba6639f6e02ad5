import { describe, expect, test } from "vitest";
import {
  forEachSeed,
  Simulation,
  type NodeContext,
  type NodeId,
  type SimulatedNode,
} from "../../harness/testing.js";
import {
  compareTimestamps,
  HybridLogicalClock,
  type HybridTimestamp,
} from "./hybrid-logical-clock.js";

// Exercise 1.4 — Hybrid logical clock. Run: npm run workbook -- test 1.4

/** A timestamp as text for failure messages: (wallMs, logical). */
function show(timestamp: HybridTimestamp): string {
  return `(${timestamp.wallMs}, ${timestamp.logical})`;
}

/**
 * The test's own ordering, so that checks on your clock do not rely on your compareTimestamps.
 * True when `a` is strictly earlier than `b`.
 */
function isEarlier(a: HybridTimestamp, b: HybridTimestamp): boolean {
  return a.wallMs < b.wallMs || (a.wallMs === b.wallMs && a.logical < b.logical);
}

/** A clock reading a physical clock the test sets by hand. */
function clockAt(physicalMs: number): { clock: HybridLogicalClock; physical: { ms: number } } {
  const physical = { ms: physicalMs };
  return { clock: new HybridLogicalClock(() => physical.ms), physical };
}

describe("1.4 Hybrid logical clock: the send rule", () => {
  test("a local event takes the physical time when it is ahead", () => {
    const { clock } = clockAt(1_000);
    expect(
      clock.now(),
      "a new clock's first event when the physical clock reads 1000: wallMs follows the physical clock and logical starts at 0",
    ).toEqual({ wallMs: 1_000, logical: 0 });
  });

  test("events in the same millisecond are told apart by the logical counter", () => {
    const { clock } = clockAt(1_000);
    const stamps = [clock.now(), clock.now(), clock.now()];
    expect(
      stamps,
      "three events while the physical clock stays at 1000: same wallMs, logical counts 0, 1, 2",
    ).toEqual([
      { wallMs: 1_000, logical: 0 },
      { wallMs: 1_000, logical: 1 },
      { wallMs: 1_000, logical: 2 },
    ]);
  });

  test("the logical counter starts again at zero when physical time moves on", () => {
    const { clock, physical } = clockAt(1_000);
    clock.now();
    clock.now();
    physical.ms = 1_001;
    expect(
      clock.now(),
      "after (1000, 0) and (1000, 1), an event when the physical clock reads 1001",
    ).toEqual({ wallMs: 1_001, logical: 0 });
  });

  test("when the physical clock steps back, timestamps keep counting from the latest one", () => {
    const { clock, physical } = clockAt(1_000);
    clock.now();
    physical.ms = 400;
    expect(
      clock.now(),
      "after (1000, 0), an event when the physical clock has been stepped back to 400: wallMs must not go back",
    ).toEqual({ wallMs: 1_000, logical: 1 });
  });
});

describe("1.4 Hybrid logical clock: the receive rule", () => {
  test("a message from a clock that is ahead: adopt its time and count past it", () => {
    const { clock, physical } = clockAt(1_000);
    clock.now();
    expect(
      clock.receive({ wallMs: 5_000, logical: 3 }),
      "a clock at (1000, 0), physical 1000, receiving (5000, 3): wallMs jumps to 5000, logical to 3 + 1",
    ).toEqual({ wallMs: 5_000, logical: 4 });
    physical.ms = 1_001;
    expect(clock.now(), "the next local event, physical now 1001, still far behind 5000").toEqual({
      wallMs: 5_000,
      logical: 5,
    });
  });

  test("a message from a clock that is behind: keep local time and count on", () => {
    const { clock } = clockAt(1_000);
    clock.now();
    expect(
      clock.receive({ wallMs: 500, logical: 7 }),
      "a clock at (1000, 0), physical 1000, receiving (500, 7): the message is older, so only the local counter moves",
    ).toEqual({ wallMs: 1_000, logical: 1 });
  });

  test("a message at the same wall time: count past both counters", () => {
    const { clock } = clockAt(1_000);
    clock.now();
    clock.now();
    clock.now();
    expect(
      clock.receive({ wallMs: 1_000, logical: 5 }),
      "a clock at (1000, 2) receiving (1000, 5): logical becomes max(2, 5) + 1",
    ).toEqual({ wallMs: 1_000, logical: 6 });
    expect(
      clock.receive({ wallMs: 1_000, logical: 1 }),
      "then receiving (1000, 1): logical becomes max(6, 1) + 1",
    ).toEqual({ wallMs: 1_000, logical: 7 });
  });

  test("physical time ahead of both: a new millisecond starts the counter at zero", () => {
    const { clock, physical } = clockAt(1_000);
    clock.now();
    clock.now();
    physical.ms = 2_000;
    expect(
      clock.receive({ wallMs: 1_500, logical: 9 }),
      "a clock at (1000, 1), physical now 2000, receiving (1500, 9): the physical clock is ahead of both",
    ).toEqual({ wallMs: 2_000, logical: 0 });
  });

  test("compareTimestamps orders by wall time, then by the logical counter", () => {
    const cases: Array<[HybridTimestamp, HybridTimestamp, "earlier" | "later" | "same"]> = [
      [{ wallMs: 1_000, logical: 9 }, { wallMs: 1_001, logical: 0 }, "earlier"],
      [{ wallMs: 1_001, logical: 0 }, { wallMs: 1_000, logical: 9 }, "later"],
      [{ wallMs: 1_000, logical: 2 }, { wallMs: 1_000, logical: 3 }, "earlier"],
      [{ wallMs: 1_000, logical: 3 }, { wallMs: 1_000, logical: 2 }, "later"],
      [{ wallMs: 1_000, logical: 3 }, { wallMs: 1_000, logical: 3 }, "same"],
    ];
    for (const [a, b, expected] of cases) {
      const result = compareTimestamps(a, b);
      const said = result < 0 ? "earlier" : result > 0 ? "later" : "same";
      expect(
        said,
        `compareTimestamps(${show(a)}, ${show(b)}) returned ${result}: negative means earlier, positive later, zero the same`,
      ).toBe(expected);
    }
  });
});

describe("1.4 Hybrid logical clock: whole milliseconds, and timestamps that are values", () => {
  test("wallMs is whole milliseconds, even when the physical clock reads a fraction", () => {
    const { clock, physical } = clockAt(1_000.75);
    const first = clock.now();
    expect(
      first,
      "the first event when the physical clock reads 1000.75: wallMs is the reading floored to whole milliseconds",
    ).toEqual({ wallMs: 1_000, logical: 0 });
    physical.ms = 1_000.9;
    expect(
      clock.now(),
      "another event at 1000.9, still inside millisecond 1000: the counter orders it, wallMs stays whole",
    ).toEqual({ wallMs: 1_000, logical: 1 });
    physical.ms = 2_000.5;
    expect(
      clock.receive({ wallMs: 1_500, logical: 2 }),
      "a receive when the physical clock reads 2000.5, ahead of both timestamps: wallMs is 2000, not 2000.5",
    ).toEqual({ wallMs: 2_000, logical: 0 });
  });

  test("changing a timestamp the clock returned does not change the clock", () => {
    const { clock } = clockAt(1_000);
    const issued = clock.now();
    issued.wallMs = 9_000;
    issued.logical = 50;
    expect(
      clock.now(),
      "after the caller changed the (1000, 0) it got to (9000, 50), the next event at physical 1000: the clock must not have moved with it",
    ).toEqual({ wallMs: 1_000, logical: 1 });
    const received = clock.receive({ wallMs: 1_000, logical: 4 });
    received.wallMs = 0;
    received.logical = 0;
    expect(
      clock.now(),
      "after the caller zeroed the (1000, 5) a receive returned, the next event: the clock must still be at (1000, 5)",
    ).toEqual({ wallMs: 1_000, logical: 6 });
  });

  test("receive does not change the timestamp it is given", () => {
    const { clock } = clockAt(1_000);
    const remote = { wallMs: 5_000, logical: 3 };
    clock.receive(remote);
    clock.now();
    expect(
      remote,
      "the message's timestamp (5000, 3) after the clock received it and issued another: a receiver must not write into a message",
    ).toEqual({ wallMs: 5_000, logical: 3 });
  });
});

/** A message carrying the sender's hybrid timestamp. */
interface Stamped {
  timestamp: HybridTimestamp;
}

/** One timestamp a node issued, with what its physical clock read at that moment. */
interface Issued {
  kind: "local" | "send" | "receive";
  timestamp: HybridTimestamp;
  physicalMs: number;
  /** For a receive, the timestamp the message was sent with. */
  sent?: HybridTimestamp;
}

/**
 * Added to every physical reading. Simulated clocks start near zero and, with a negative
 * offset or a backward jump, read below it, which no real time-of-day clock does; the paper's
 * clock starts at l = 0 and assumes physical time is past it. Six digits keep messages short.
 */
const physicalStartMs = 500_000;

/**
 * A node that does bursts of local work and sends to a random peer every few milliseconds,
 * stamping everything with a hybrid logical clock and recording every timestamp.
 */
class BusyNode implements SimulatedNode<Stamped> {
  readonly clock: HybridLogicalClock;
  readonly issued: Issued[] = [];
  readonly #context: NodeContext<Stamped>;

  constructor(context: NodeContext<Stamped>) {
    this.#context = context;
    this.clock = new HybridLogicalClock(() => physicalStartMs + context.now());
  }

  onStart(): void {
    this.#context.setTimer("work", this.#context.randomInt(1, 4));
  }

  onTimer(): void {
    // Several events in one millisecond: only the logical counter can tell them apart.
    const localEvents = this.#context.randomInt(0, 6);
    for (let event = 0; event < localEvents; event++) this.#record("local", this.clock.now());
    const timestamp = this.clock.now();
    this.#record("send", timestamp);
    const peers = this.#context.peers;
    this.#context.send(peers[this.#context.randomInt(0, peers.length - 1)]!, { timestamp });
    this.#context.setTimer("work", this.#context.randomInt(1, 4));
  }

  onMessage(_from: NodeId, message: Stamped): void {
    this.#record("receive", this.clock.receive(message.timestamp), message.timestamp);
  }

  #record(kind: Issued["kind"], timestamp: HybridTimestamp, sent?: HybridTimestamp): void {
    // The copy keeps the record honest even if the clock hands out an object it later changes.
    const entry: Issued = {
      kind,
      timestamp: { ...timestamp },
      physicalMs: physicalStartMs + this.#context.now(),
    };
    if (sent !== undefined) entry.sent = sent;
    this.issued.push(entry);
  }
}

const clocks = { offsetMsMax: 200, driftPpmMax: 100 };
const runMs = 1_000;

function busyRun(seed: number, name: string) {
  const simulation = new Simulation<Stamped>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 20 } },
    clocks,
  });
  const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new BusyNode(context));
  return { simulation, nodes };
}

describe("1.4 Hybrid logical clock: on the simulated network", () => {
  test("timestamps never go backwards, even when the physical clock jumps back", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = busyRun(seed, "clocks jump back");
        const checked = new Map<string, number>();
        simulation.addInvariant("each node's timestamps only move forwards", () => {
          for (const id of nodes.ids) {
            const issued = nodes.node(id)!.issued;
            for (let index = Math.max(1, checked.get(id) ?? 0); index < issued.length; index++) {
              const previous = issued[index - 1]!;
              const current = issued[index]!;
              if (!isEarlier(previous.timestamp, current.timestamp))
                return `${id} issued ${show(current.timestamp)} for a ${current.kind} event right after ${show(previous.timestamp)}; each timestamp must be later than the one before (its physical clock read ${current.physicalMs.toFixed(1)}ms)`;
            }
            checked.set(id, issued.length);
          }
        });
        // NTP stepping a clock back by five seconds, on two nodes at different times.
        simulation.at(300, "n1's clock steps back 5s", () => simulation.jumpClock("n1", -5_000));
        simulation.at(600, "n2's clock steps back 5s", () => simulation.jumpClock("n2", -5_000));
        simulation.runFor(runMs);
      },
      { seeds: 10 },
    );
  });

  test("a message is received at a later timestamp than it was sent", () => {
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = busyRun(seed, "receive after send");
        simulation.runFor(runMs);
        for (const id of nodes.ids) {
          for (const { timestamp, sent } of nodes.node(id)!.issued) {
            if (sent !== undefined && !isEarlier(sent, timestamp))
              expect.fail(
                `${id} received a message sent at ${show(sent)} and stamped the receipt ${show(timestamp)}; the receipt happened after the send, so it must be later`,
              );
          }
        }
      },
      { seeds: 10 },
    );
  });

  test("timestamps stay within the clock skew of physical time", () => {
    // The paper's bound: wallMs is never behind the node's own physical clock, and never ahead
    // of it by more than the largest difference between two clocks in the system.
    const skewMsMax = 2 * clocks.offsetMsMax + (2 * clocks.driftPpmMax * runMs) / 1_000_000 + 1;
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = busyRun(seed, "close to physical time");
        simulation.runFor(runMs);
        for (const id of nodes.ids) {
          for (const { kind, timestamp, physicalMs } of nodes.node(id)!.issued) {
            const aheadMs = timestamp.wallMs - Math.floor(physicalMs);
            if (aheadMs < 0 || aheadMs > skewMsMax)
              expect.fail(
                `${id} stamped a ${kind} event ${show(timestamp)} when its physical clock read ${physicalMs.toFixed(1)}ms: ${aheadMs.toFixed(1)}ms ahead of it. wallMs should stay between the node's physical time and that plus the clocks' largest skew (${skewMsMax.toFixed(1)}ms)`,
              );
          }
        }
      },
      { seeds: 10 },
    );
  });

  test("the logical counter stays small", () => {
    // The counter only counts events that share a wallMs; it starts again whenever physical
    // time moves past wallMs, so it stays near the number of events per millisecond.
    // Bursts of up to seven events per node every few milliseconds take a correct clock to
    // about 80 here; a counter that never starts again passes 200 within a few dozen ms.
    const logicalMax = 200;
    forEachSeed(
      (seed) => {
        const { simulation, nodes } = busyRun(seed, "small counter");
        simulation.runFor(runMs);
        for (const id of nodes.ids) {
          for (const { kind, timestamp } of nodes.node(id)!.issued) {
            if (timestamp.logical > logicalMax)
              expect.fail(
                `${id} stamped a ${kind} event ${show(timestamp)}: a logical counter above ${logicalMax} means it is not starting again at 0 when physical time moves past wallMs`,
              );
          }
        }
      },
      { seeds: 10 },
    );
  });
});
