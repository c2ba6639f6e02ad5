import { describe, expect, test } from "vitest";
import { forEachSeed, Random } from "../../harness/testing.js";
import { sagaWorld, tripSteps, type ServiceBehaviour } from "./saga-checks.js";

// Exercise 3.4 — a saga with compensations. Run: npm run workbook -- test 3.4
//
// Every test also checks, after every event: no step takes effect twice; compensations run in
// reverse order; nothing at or after the pivot is ever compensated.

const k = tripSteps.length;

/** Runs until every saga finished, then checks the all-or-compensated property for each. */
function finish(world: ReturnType<typeof sagaWorld>, withinMs: number, why: string): void {
  const done = world.simulation.runUntil(world.finished, { withinMs });
  expect(
    done,
    `${why}: every saga should finish (completed or compensated) within ${withinMs} ms; they are at ${JSON.stringify(world.sagas.map((saga) => world.orchestrator()?.status(saga)))}`,
  ).toBe(true);
  for (const saga of world.sagas) {
    expect(world.outcomeProblem(saga), `${saga}: all or compensated`).toBeUndefined();
  }
}

describe("3.4 Sagas: forward and backward", () => {
  test("a saga whose steps all succeed completes, sending at most 2k messages", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({ seed, name: "fault-free saga" });
        world.start("S1");
        finish(world, 1_000, "nothing fails");
        expect(world.orchestrator()!.status("S1"), "every step succeeded").toBe("completed");
        expect(world.inForce("S1"), "every step is in force").toEqual([0, 1, 2, 3]);
        const count = world.sent().length;
        expect(
          count,
          `a fault-free saga of ${k} steps needs one request and one reply per step: at most ${2 * k} messages, got ${count}`,
        ).toBeLessThanOrEqual(2 * k);
      },
      { seeds: 3 },
    );
  });

  test("a refused step before the pivot undoes every step that took effect", () => {
    forEachSeed(
      (seed) => {
        for (const refusing of ["flight", "hotel", "payment"]) {
          const world = sagaWorld({
            seed,
            name: `${refusing} refuses`,
            behaviour: (service) => (service === refusing ? { refuse: true } : {}),
          });
          world.start("S1");
          finish(world, 2_000, `${refusing} refuses`);
          expect(world.orchestrator()!.status("S1"), `${refusing} refused: compensated`).toBe(
            "compensated",
          );
          expect(world.inForce("S1"), `${refusing} refused: nothing stays booked`).toEqual([]);
        }
      },
      { seeds: 3 },
    );
  });

  test("compensations run in reverse order, each after the one before it is done", () => {
    forEachSeed(
      (seed) => {
        // The card is declined. The hotel's link is slow, so a compensation sent to it at the
        // same time as the flight's would arrive last: only waiting for each to finish keeps
        // the order.
        const world = sagaWorld({
          seed,
          name: "reverse order",
          behaviour: (service) => (service === "payment" ? { refuse: true } : {}),
        });
        world.simulation.setLink("orchestrator", "hotel", { latencyMs: { min: 40, max: 60 } });
        world.start("S1");
        finish(world, 2_000, "the payment is declined");
        const cancelled = world.effects
          .filter((effect) => effect.kind === "cancelled")
          .map((effect) => effect.service);
        expect(cancelled, "the hotel is cancelled before the flight").toEqual(["hotel", "flight"]);
      },
      { seeds: 3 },
    );
  });

  test("a compensation that fails is retried until it succeeds", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({
          seed,
          name: "compensation fails twice",
          behaviour: (service) =>
            service === "payment"
              ? { refuse: true }
              : service === "flight"
                ? { failCompensationTimes: 2 }
                : {},
        });
        world.start("S1");
        finish(world, 3_000, "the flight's cancellation fails twice, then works");
        expect(world.inForce("S1"), "the flight is cancelled in the end").toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("steps after the pivot are retried until they succeed and never compensated", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({
          seed,
          name: "after the pivot",
          behaviour: (service) => (service === "car" ? { refuseTimes: 3 } : {}),
        });
        world.start("S1");
        // The car service is also unreachable for 5 s, from the moment the payment goes through.
        world.simulation.runUntil(() => world.inForce("S1").includes(2), { withinMs: 1_000 });
        world.simulation.isolate("car");
        world.simulation.runFor(5_000);
        world.simulation.heal();
        finish(world, 3_000, "the car service refuses three times and is cut off for 5 s");
        expect(world.orchestrator()!.status("S1"), "the payment went through: completed").toBe(
          "completed",
        );
        expect(world.inForce("S1"), "every step is in force").toEqual([0, 1, 2, 3]);
      },
      { seeds: 3 },
    );
  });
});

describe("3.4 Sagas: at-least-once delivery", () => {
  test("no step takes effect twice however often it is retried or duplicated", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({
          seed,
          name: "retries and duplicates",
          network: { latencyMs: { min: 1, max: 80 }, lossRate: 0.3, duplicateRate: 0.3 },
        });
        for (let index = 1; index <= 4; index++) world.start(`S${index}`);
        finish(world, 20_000, "30 % loss, 30 % duplication");
        // With this much loss a step can go unanswered ten times and be given up on: either
        // ending is right, as long as nothing was booked twice and nothing half-done remains.
        const completed = world.sagas.filter(
          (saga) => world.orchestrator()!.status(saga) === "completed",
        );
        for (const saga of completed)
          expect(world.inForce(saga), `${saga} completed: every step is in force`).toEqual([
            0, 1, 2, 3,
          ]);
      },
      { seeds: 5 },
    );
  });

  test("a timeout where the action did happen is handled as unknown, not failed", () => {
    forEachSeed(
      (seed) => {
        // The hotel books, but its answers never get back: the orchestrator cannot know. It must
        // compensate the hotel too, or the traveller keeps a room nobody pays for.
        const world = sagaWorld({ seed, name: "unknown outcome" });
        world.simulation.cut("hotel", "orchestrator");
        world.start("S1");
        world.simulation.runFor(3_000);
        world.simulation.repair("hotel", "orchestrator");
        finish(world, 3_000, "the hotel's answers were lost for 3 s");
        expect(world.orchestrator()!.status("S1"), "the hotel never answered: compensated").toBe(
          "compensated",
        );
        expect(world.inForce("S1"), "the room that was booked is cancelled").toEqual([]);
      },
      { seeds: 3 },
    );
  });

  test("a service partitioned for 5 s before the pivot: the saga is compensated, and a late action is harmless", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({ seed, name: "hotel partitioned" });
        world.simulation.setLink("orchestrator", "hotel", { latencyMs: { min: 1, max: 1 } });
        world.start("S1");
        world.simulation.runUntil(() => world.inForce("S1").includes(0), { withinMs: 500 });
        world.simulation.isolate("hotel");
        world.simulation.runFor(5_000);
        world.simulation.heal();
        finish(world, 3_000, "the hotel was cut off for 5 s");
        expect(world.inForce("S1"), "nothing stays booked").toEqual([]);
      },
      { seeds: 3 },
    );
  });
});

describe("3.4 Sagas: the saga log", () => {
  test("after an orchestrator crash the saga continues from its log, not from the start", () => {
    forEachSeed(
      (seed) => {
        for (const declined of [false, true]) {
          const world = sagaWorld({
            seed,
            name: declined ? "crash mid-compensation" : "crash mid-forward",
            behaviour: (service) => (declined && service === "payment" ? { refuse: true } : {}),
          });
          world.start("S1");
          const reached = world.simulation.runUntil(
            () =>
              declined
                ? world.effects.some((effect) => effect.kind === "cancelled")
                : world.inForce("S1").includes(1),
            { withinMs: 1_000 },
          );
          expect(reached, declined ? "the hotel is cancelled" : "the hotel is booked").toBe(true);
          world.simulation.crash("orchestrator");
          world.simulation.runFor(300);
          const before = world.sent().length;
          world.simulation.restart("orchestrator");
          finish(world, 3_000, declined ? "crash mid-compensation" : "crash mid-forward");
          const after = world.sent().slice(before);
          const replayed = after.filter(
            (sent) =>
              sent.from === "orchestrator" &&
              (declined ? sent.message.type === "action" : sent.message.step === 0),
          );
          expect(
            replayed.map((sent) => `${sent.message.type} ${sent.message.step}`),
            declined
              ? "compensation was under way: the restarted orchestrator must not go forward again"
              : "the flight was booked before the crash: the restarted orchestrator must not ask for it again",
          ).toEqual([]);
          expect(world.orchestrator()!.status("S1")).toBe(declined ? "compensated" : "completed");
        }
      },
      { seeds: 3 },
    );
  });

  test("in the end every step took effect or every step that took effect was compensated, under loss, duplication and crashes", () => {
    forEachSeed(
      (seed) => {
        const random = new Random(seed, "saga scenario");
        const behaviours = new Map<string, Record<string, ServiceBehaviour>>();
        const world = sagaWorld({
          seed,
          name: "sagas under faults",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.2, duplicateRate: 0.1 },
          behaviour: (service, saga) => behaviours.get(saga)?.[service] ?? {},
        });
        for (let index = 1; index <= 6; index++) {
          const saga = `S${index}`;
          const plan: Record<string, ServiceBehaviour> = {};
          const refusing = random.pick(["", "flight", "hotel", "payment"]);
          if (refusing !== "") plan[refusing] = { refuse: true };
          if (random.chance(0.5)) plan["car"] = { refuseTimes: random.int(1, 3) };
          if (random.chance(0.5))
            plan[random.pick(["flight", "hotel"])] = {
              ...plan["flight"],
              failCompensationTimes: random.int(1, 3),
            };
          behaviours.set(saga, plan);
          // A client whose orchestrator is down tries again a little later.
          const startWhenUp = (): void => {
            if (world.simulation.isUp("orchestrator")) world.start(saga);
            else world.simulation.after(50, `retry start ${saga}`, startWhenUp);
          };
          world.simulation.at(random.int(0, 500), `start ${saga}`, startWhenUp);
        }
        for (let crash = 0; crash < 2; crash++) {
          const atMs = random.int(0, 1_500);
          world.simulation.at(atMs, "crash orchestrator", () => {
            if (world.simulation.isUp("orchestrator")) world.simulation.crash("orchestrator");
          });
          world.simulation.at(atMs + random.int(50, 400), "restart orchestrator", () => {
            if (!world.simulation.isUp("orchestrator")) world.simulation.restart("orchestrator");
          });
        }
        world.simulation.runFor(2_000);
        if (!world.simulation.isUp("orchestrator")) world.simulation.restart("orchestrator");
        world.simulation.runFor(100);
        expect(world.sagas.length, "every client got its saga started").toBe(6);
        finish(world, 10_000, "20 % loss, 10 % duplication and orchestrator crashes");
        for (const saga of world.sagas) {
          const status = world.orchestrator()!.status(saga);
          expect(world.inForce(saga).length, `${saga} is ${status}`).toBe(
            status === "completed" ? k : 0,
          );
        }
      },
      { seeds: 10 },
    );
  });

  test("with 20 % loss every saga ends within 10 s of simulated time", () => {
    forEachSeed(
      (seed) => {
        const world = sagaWorld({
          seed,
          name: "lossy network",
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.2 },
          behaviour: (service, saga) =>
            service === "hotel" && saga.endsWith("2") ? { refuse: true } : {},
        });
        for (let index = 1; index <= 5; index++) world.start(`S${index}`);
        finish(world, 10_000, "20 % loss");
      },
      { seeds: 5 },
    );
  });
});

describe("3.4 Sagas: what sagas give up", () => {
  test("demonstration: a concurrent reader sees a hotel booking that is later compensated", () => {
    forEachSeed(
      (seed) => {
        // Each step commits at its service on its own: there is no isolation across the saga.
        // A reader who looks at the hotel between the booking and its compensation sees a
        // reservation that, in the end, never was. Semantic locks (a "pending" flag the reader
        // can see) are how real systems make this visible instead of wrong.
        const world = sagaWorld({
          seed,
          name: "dirty read across a saga",
          behaviour: (service) => (service === "payment" ? { refuse: true } : {}),
        });
        world.start("S1");
        const seen = world.simulation.runUntil(
          () => [...world.service("hotel").bookings.values()].includes("S1"),
          { withinMs: 1_000 },
        );
        expect(seen, "a reader of the hotel sees S1's room booked").toBe(true);
        finish(world, 2_000, "the payment is declined");
        expect(world.inForce("S1"), "yet the saga was compensated: the room never was").toEqual([]);
      },
      { seeds: 1 },
    );
  });
});
