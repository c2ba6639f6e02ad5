import { describe, expect, test } from "vitest";
import { forEachSeed, Random, Simulation, type NodeContext } from "../../harness/testing.js";
import { LamportClock } from "./lamport-clock.js";
import { randomHistory } from "./random-history.js";

// Exercise 1.1 — Lamport clock. Run: npm run workbook -- test 1.1

describe("1.1 Lamport clock: the three rules", () => {
  test("a new clock reads zero", () => {
    expect(new LamportClock().time, "a clock that has seen no events").toBe(0);
  });

  test("a local event advances the clock by one", () => {
    const clock = new LamportClock();
    expect(clock.tick(), "the first event's timestamp").toBe(1);
    expect(clock.tick(), "the second event's timestamp").toBe(2);
    expect(clock.time, "time after two events").toBe(2);
  });

  test("sending is an event: the message carries a timestamp later than everything before it", () => {
    const clock = new LamportClock();
    const before = clock.tick();
    const stamped = clock.send();
    expect(
      stamped,
      `a send after an event stamped ${before} must be stamped later`,
    ).toBeGreaterThan(before);
    expect(clock.time, "the clock after a send reads the message's timestamp").toBe(stamped);
    expect(clock.send(), "two sends in a row get different timestamps").toBeGreaterThan(stamped);
  });

  test("a receive moves the clock past the timestamp it received", () => {
    const clock = new LamportClock();
    clock.tick();
    const received = clock.receive(41);
    expect(received, "a clock at 1 receiving a message stamped 41 must jump past 41").toBe(42);
  });

  test("a receive moves the clock past its own time when the message is older", () => {
    const clock = new LamportClock();
    for (let event = 0; event < 10; event++) clock.tick();
    expect(
      clock.receive(3),
      "a clock at 10 receiving a message stamped 3 must still move forward",
    ).toBe(11);
  });
});

describe("1.1 Lamport clock: the clock condition on random runs", () => {
  test("if a happened before b, a's timestamp is smaller than b's", () => {
    forEachSeed((seed) => {
      const processes = ["p1", "p2", "p3"];
      const run = randomHistory(new Random(seed), processes, 60);
      const clocks = new Map(processes.map((name) => [name, new LamportClock()]));
      const timestamps = new Map<string, number>();
      const sentWith = new Map<number, number>();
      for (const event of run.events) {
        const clock = clocks.get(event.process)!;
        if (event.kind === "local") timestamps.set(event.name, clock.tick());
        if (event.kind === "send") {
          const stamped = clock.send();
          timestamps.set(event.name, stamped);
          sentWith.set(event.message, stamped);
        }
        if (event.kind === "receive") {
          timestamps.set(event.name, clock.receive(sentWith.get(event.message)!));
        }
      }
      for (const earlier of run.events) {
        for (const later of run.events) {
          if (!run.happenedBefore(earlier.name, later.name)) continue;
          const [before, after] = [timestamps.get(earlier.name)!, timestamps.get(later.name)!];
          if (before >= after) {
            expect.fail(
              `${earlier.name} happened before ${later.name}, so its timestamp (${before}) must be smaller than ${later.name}'s (${after})`,
            );
          }
        }
      }
    });
  });
});

type Request =
  | { type: "request"; timestamp: number }
  | { type: "reply"; timestamp: number; requestTimestamp: number };

/** A node that stamps every message with its Lamport clock and answers every request. */
class TimestampingNode {
  readonly clock = new LamportClock();
  readonly replies: Array<{ timestamp: number; requestTimestamp: number }> = [];
  readonly #context: NodeContext<Request>;

  constructor(context: NodeContext<Request>) {
    this.#context = context;
  }

  onStart(): void {
    this.#context.setTimer("work", this.#context.randomInt(1, 20));
  }

  onTimer(): void {
    // Local work makes the clocks drift apart, which is what the receive rule must repair.
    const localEvents = this.#context.randomInt(0, 5);
    for (let event = 0; event < localEvents; event++) this.clock.tick();
    const peer = this.#context.peers[this.#context.randomInt(0, this.#context.peers.length - 1)]!;
    this.#context.send(peer, { type: "request", timestamp: this.clock.send() });
    this.#context.setTimer("work", this.#context.randomInt(1, 20));
  }

  onMessage(from: string, message: Request): void {
    const received = this.clock.receive(message.timestamp);
    if (message.type === "request") {
      this.#context.send(from, {
        type: "reply",
        timestamp: this.clock.send(),
        requestTimestamp: message.timestamp,
      });
    } else {
      this.replies.push({ timestamp: received, requestTimestamp: message.requestTimestamp });
    }
  }
}

describe("1.1 Lamport clock: on the simulated network", () => {
  test("a reply carries a later timestamp than the request that caused it", () => {
    forEachSeed((seed) => {
      const simulation = new Simulation<Request>({
        seed,
        name: "lamport requests",
        network: { latencyMs: { min: 1, max: 30 } },
      });
      const nodes = simulation.addNodes(
        ["n1", "n2", "n3"],
        (context) => new TimestampingNode(context),
      );
      simulation.runFor(500);
      const replies = nodes.liveNodes().flatMap((node) => node.replies);
      expect(
        replies.length,
        "the nodes should have exchanged some requests and replies",
      ).toBeGreaterThan(10);
      for (const reply of replies) {
        expect(
          reply.timestamp,
          `a reply to a request stamped ${reply.requestTimestamp} was received at ${reply.timestamp}`,
        ).toBeGreaterThan(reply.requestTimestamp);
      }
    });
  });
});
