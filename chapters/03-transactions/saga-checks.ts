import type { LinkOptions, NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import { Simulation } from "../../harness/index.js";
import { SagaOrchestrator, type SagaMessage, type SagaStep } from "./saga.js";

// Test support for exercise 3.4: the services a saga books, and the checks run over their
// effects. You do not need to change anything here.

/** What a service does with one saga's requests, to script failures. */
export interface ServiceBehaviour {
  /** Refuse the action (no seats, card declined): it does not take effect. */
  refuse?: boolean;
  /** Refuse the first N attempts, then accept (a retriable step's transient failure). */
  refuseTimes?: number;
  /** Fail the first N compensations (the cancellation system is down), then succeed. */
  failCompensationTimes?: number;
}

/** One thing that happened at a service, in order: the record the checks read. */
export interface Effect {
  service: NodeId;
  saga: string;
  step: number;
  key: string;
  kind: "booked" | "cancelled";
  timeMs: number;
}

/**
 * A service (flight, hotel, payment, car) as the saga sees it: it books on an action, cancels on
 * a compensation, and applies each idempotency key once. An undo for a key it never saw is
 * remembered, so that the action arriving late cannot take effect after its compensation.
 */
export class ServiceNode implements SimulatedNode<SagaMessage> {
  /** The bookings in force: key → saga. What a concurrent reader of this service sees. */
  readonly bookings = new Map<string, string>();
  readonly #context: NodeContext<SagaMessage>;
  readonly #effects: Effect[];
  readonly #nowMs: () => number;
  readonly #behaviour: (saga: string) => ServiceBehaviour;
  /** Every key this service has answered, and how: the idempotency table. */
  readonly #answered = new Map<string, boolean>();
  readonly #cancelled = new Set<string>();
  readonly #refusals = new Map<string, number>();
  readonly #compensationFailures = new Map<string, number>();

  constructor(
    context: NodeContext<SagaMessage>,
    effects: Effect[],
    nowMs: () => number,
    behaviour: (saga: string) => ServiceBehaviour,
  ) {
    this.#context = context;
    this.#effects = effects;
    this.#nowMs = nowMs;
    this.#behaviour = behaviour;
  }

  onMessage(from: NodeId, message: SagaMessage): void {
    const { saga, step, key } = message;
    if (message.type === "action") {
      let ok = this.#answered.get(key);
      if (ok === undefined) {
        const behaviour = this.#behaviour(saga);
        const refusedSoFar = this.#refusals.get(key) ?? 0;
        if (this.#cancelled.has(key) || behaviour.refuse === true) {
          ok = false;
          this.#answered.set(key, false);
        } else if (refusedSoFar < (behaviour.refuseTimes ?? 0)) {
          this.#refusals.set(key, refusedSoFar + 1);
          ok = false; // transient: not remembered, so a retry may succeed
        } else {
          ok = true;
          this.#answered.set(key, true);
          this.bookings.set(key, saga);
          this.#record(saga, step, key, "booked");
        }
      }
      this.#context.send(from, { type: "result", saga, step, key, ok });
    } else if (message.type === "compensate") {
      const failedSoFar = this.#compensationFailures.get(key) ?? 0;
      if (failedSoFar < (this.#behaviour(saga).failCompensationTimes ?? 0)) {
        this.#compensationFailures.set(key, failedSoFar + 1);
        this.#context.send(from, { type: "compensated", saga, step, key, ok: false });
        return;
      }
      if (this.bookings.delete(key)) this.#record(saga, step, key, "cancelled");
      this.#cancelled.add(key);
      this.#context.send(from, { type: "compensated", saga, step, key, ok: true });
    }
  }

  #record(saga: string, step: number, key: string, kind: Effect["kind"]): void {
    this.#effects.push({ service: this.#context.id, saga, step, key, kind, timeMs: this.#nowMs() });
  }
}

/** The trip every test books: two compensatable steps, the payment as pivot, a retriable car. */
export const tripSteps: SagaStep[] = [
  { service: "flight", kind: "compensatable" },
  { service: "hotel", kind: "compensatable" },
  { service: "payment", kind: "pivot" },
  { service: "car", kind: "retriable" },
];

export interface SagaWorldOptions {
  seed: number;
  name: string;
  network?: Partial<LinkOptions>;
  /** Scripted failures per service and saga. */
  behaviour?: (service: NodeId, saga: string) => ServiceBehaviour;
}

/**
 * An orchestrator, the four services of `tripSteps` and the checks of a saga: after every event,
 * no step takes effect twice, compensations run in reverse order, and nothing at or after the
 * pivot is ever compensated; `outcomeProblems` checks the end state.
 */
export function sagaWorld(options: SagaWorldOptions) {
  const simulation = new Simulation<SagaMessage>({
    seed: options.seed,
    name: options.name,
    network: { latencyMs: { min: 1, max: 10 }, ...options.network },
  });
  const nowMs = () => simulation.nowMs;
  const effects: Effect[] = [];
  const sent: Array<{ from: NodeId; message: SagaMessage; timeMs: number }> = [];
  const services = tripSteps.map((step) => step.service);
  /** The node's own context, except that every message it sends is also recorded. */
  const recorded = (context: NodeContext<SagaMessage>): NodeContext<SagaMessage> => ({
    ...context,
    send(to, message) {
      sent.push({ from: context.id, message, timeMs: nowMs() });
      context.send(to, message);
    },
  });
  simulation.addNodes(["orchestrator"], (context) => new SagaOrchestrator(recorded(context)));
  for (const service of services) {
    simulation.addNodes(
      [service],
      (context) =>
        new ServiceNode(
          recorded(context),
          effects,
          nowMs,
          (saga) => options.behaviour?.(service, saga) ?? {},
        ),
    );
  }
  const sagas: string[] = [];
  const pivot = tripSteps.findIndex((step) => step.kind === "pivot");
  const orchestrator = () => simulation.node<SagaOrchestrator>("orchestrator");
  const service = (id: NodeId) => simulation.node<ServiceNode>(id)!;

  simulation.addInvariant("no step takes effect twice", () => {
    const booked = new Map<string, Effect>();
    for (const effect of effects) {
      if (effect.kind !== "booked") continue;
      const id = `${effect.saga} step ${effect.step} at ${effect.service}`;
      const earlier = booked.get(id);
      if (earlier !== undefined && earlier.key !== effect.key)
        return `${id} took effect twice, under keys "${earlier.key}" and "${effect.key}": every attempt at a step must carry the same idempotency key`;
      booked.set(id, effect);
    }
  });

  simulation.addInvariant("compensations run in reverse order", () => {
    for (const saga of sagas) {
      const cancelled = effects.filter(
        (effect) => effect.saga === saga && effect.kind === "cancelled",
      );
      for (let index = 1; index < cancelled.length; index++) {
        if (cancelled[index]!.step > cancelled[index - 1]!.step)
          return `${saga}: step ${cancelled[index]!.step} (${cancelled[index]!.service}) was compensated after step ${cancelled[index - 1]!.step} (${cancelled[index - 1]!.service}): compensations run latest step first, each after the one before it is done`;
      }
    }
  });

  simulation.addInvariant("nothing at or after the pivot is ever compensated", () => {
    for (const { from, message } of sent) {
      if (from !== "orchestrator" || message.type !== "compensate") continue;
      if (message.step >= pivot)
        return `${message.saga}: the orchestrator sent a compensation for step ${message.step} (${tripSteps[message.step]!.service}), at or after the pivot (payment): once the payment may have happened, the saga can only go forward`;
    }
    for (const saga of sagas) {
      const paid = effects.some(
        (effect) => effect.saga === saga && effect.step === pivot && effect.kind === "booked",
      );
      if (!paid) continue;
      const undone = effects.find((effect) => effect.saga === saga && effect.kind === "cancelled");
      if (undone !== undefined)
        return `${saga}: the payment (the pivot) went through, yet step ${undone.step} (${undone.service}) was compensated: after the pivot the saga only goes forward`;
    }
  });

  /** Starts `saga` at the orchestrator, as a client would. */
  const start = (saga: string): void => {
    sagas.push(saga);
    simulation.act<SagaOrchestrator>("orchestrator", `start ${saga}`, (node) =>
      node.start(saga, tripSteps),
    );
  };

  /** The bookings of `saga` in force right now, by step. */
  const inForce = (saga: string): number[] => {
    const steps: number[] = [];
    for (const [index, step] of tripSteps.entries()) {
      if ([...service(step.service).bookings.values()].includes(saga)) steps.push(index);
    }
    return steps;
  };

  /**
   * The end-state property: every step took effect, or every step that took effect was
   * compensated. Returns what is wrong, or undefined.
   */
  const outcomeProblem = (saga: string): string | undefined => {
    const steps = inForce(saga);
    if (steps.length === 0 || steps.length === tripSteps.length) return undefined;
    const names = steps.map((index) => tripSteps[index]!.service).join(", ");
    return `${saga} ended with only ${names} in force: either every step takes effect, or every step that took effect is compensated`;
  };

  /** Every saga started has finished (completed or compensated) at the orchestrator. */
  const finished = (): boolean =>
    simulation.isUp("orchestrator") &&
    sagas.every((saga) => {
      const status = orchestrator()!.status(saga);
      return status === "completed" || status === "compensated";
    });

  return {
    simulation,
    start,
    effects,
    sent: () => sent,
    orchestrator,
    service,
    inForce,
    outcomeProblem,
    finished,
    sagas,
  };
}
