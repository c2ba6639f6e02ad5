import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 3.4 — a saga with compensations (Garcia-Molina and Salem, 1987), run by an
 * orchestrator with a durable saga log.
 *
 * A trip is booked in steps at separate services: a flight, a hotel, the payment, a car. Each
 * step commits at its service on its own; there is no lock across them. If a step before the
 * payment fails, the steps already done are undone by compensations, latest first. The payment is
 * the pivot: once it succeeds the saga can only go forward, so the steps after it are ones that
 * can be retried until they succeed.
 *
 * The network delivers at least once: requests are retried and duplicated. Every request for a
 * step carries an idempotency key that is the same on every retry, so a service applies it once.
 */

/** How a step behaves when something goes wrong. */
export type StepKind =
  /** Before the pivot: may fail, and can be undone by a compensation. */
  | "compensatable"
  /** The point of no return: may fail, cannot be undone; once it succeeds, the saga goes forward. */
  | "pivot"
  /** After the pivot: retried until it succeeds; never compensated. */
  | "retriable";

export interface SagaStep {
  service: NodeId;
  kind: StepKind;
}

export type SagaStatus = "running" | "compensating" | "completed" | "compensated";

export type SagaMessage =
  /** Orchestrator → service: do step `step` of `saga`; `key` is the same on every retry. */
  | { type: "action"; saga: string; step: number; key: string }
  /** Service → orchestrator: the action took effect (ok) or was refused (not ok). */
  | { type: "result"; saga: string; step: number; key: string; ok: boolean }
  /** Orchestrator → service: undo the action with this key, whether or not it ever arrived. */
  | { type: "compensate"; saga: string; step: number; key: string }
  /** Service → orchestrator: the compensation is done (ok), or failed and must be retried. */
  | { type: "compensated"; saga: string; step: number; key: string; ok: boolean };

/** How often an unanswered request is sent again. */
const retryMs = 100;
/** Before the pivot, how many times an action is sent before its outcome counts as unknown. */
const attemptsMax = 10;

/** The saga log: one durable record per saga, written before each move the saga makes. */
interface SagaRecord {
  steps: SagaStep[];
  status: SagaStatus;
  /** Running: the step being done. Compensating: the step being undone. */
  step: number;
}

/** The idempotency key of a step: the same for every attempt, so a retry is not a second booking. */
export function idempotencyKey(saga: string, step: number): string {
  return `${saga}/${step}`;
}

export class SagaOrchestrator implements SimulatedNode<SagaMessage> {
  readonly #context: NodeContext<SagaMessage>;
  /** How many times the current action of each running saga has been sent in this life. */
  readonly #attempts = new Map<string, number>();

  constructor(context: NodeContext<SagaMessage>) {
    this.#context = context;
  }

  /** Where `saga` stands; undefined if this orchestrator never started it. */
  status(saga: string): SagaStatus | undefined {
    return this.#record(saga)?.status;
  }

  /** Starts `saga` with `steps`; a saga that is already known is left alone. */
  start(saga: string, steps: SagaStep[]): void {
    if (this.#record(saga) !== undefined) return;
    this.#save(saga, { steps, status: "running", step: 0 });
    this.#sendCurrent(saga);
  }

  onStart(): void {
    // The saga log is the orchestrator's memory: every unfinished saga carries on from the step
    // it records, not from the beginning. Retried requests carry the same keys, so re-sending
    // the request that was in flight at the crash is harmless.
    for (const key of this.#context.storage.keys()) {
      if (!key.startsWith("saga:")) continue;
      const saga = key.slice("saga:".length);
      const record = this.#record(saga)!;
      if (record.status === "running" || record.status === "compensating") this.#sendCurrent(saga);
    }
  }

  onMessage(_from: NodeId, message: SagaMessage): void {
    const record = this.#record(message.saga);
    // A reply about another step than the current one is late or duplicated: it says nothing new.
    if (record === undefined || message.step !== record.step) return;
    if (message.type === "result" && record.status === "running") {
      this.#onResult(message.saga, record, message.ok);
    } else if (message.type === "compensated" && record.status === "compensating") {
      // A compensation that failed is retried, by the timer, until it succeeds: giving up would
      // leave a booking nobody pays for.
      if (message.ok) this.#compensateFrom(message.saga, record, record.step - 1);
    }
  }

  onTimer(saga: string): void {
    const record = this.#record(saga);
    if (record === undefined) return;
    if (record.status === "running") {
      const kind = record.steps[record.step]!.kind;
      const attempts = this.#attempts.get(saga) ?? 0;
      if (kind === "compensatable" && attempts >= attemptsMax) {
        // No answer: the action may or may not have taken effect. Unknown is not failed, so
        // this step is compensated along with the earlier ones (the service ignores an undo of
        // something it never did).
        this.#context.note(
          `${saga}: step ${record.step} unanswered, outcome unknown: compensating`,
        );
        this.#compensateFrom(saga, record, record.step);
        return;
      }
    }
    if (record.status === "running" || record.status === "compensating") this.#sendCurrent(saga);
  }

  #onResult(saga: string, record: SagaRecord, ok: boolean): void {
    const kind = record.steps[record.step]!.kind;
    if (!ok && kind === "retriable") return; // after the pivot, the only way is forward: retry
    if (!ok) {
      // Refused: this step did not take effect, so compensation starts with the one before.
      this.#context.note(`${saga}: step ${record.step} refused: compensating`);
      this.#compensateFrom(saga, record, record.step - 1);
      return;
    }
    const next = record.step + 1;
    if (next === record.steps.length) {
      this.#save(saga, { ...record, status: "completed", step: next });
      this.#context.cancelTimer(saga);
      return;
    }
    this.#save(saga, { ...record, step: next });
    this.#attempts.delete(saga);
    this.#sendCurrent(saga);
  }

  /** Compensates step `step`, then the ones before it, one at a time, latest first. */
  #compensateFrom(saga: string, record: SagaRecord, step: number): void {
    this.#attempts.delete(saga);
    if (step < 0) {
      this.#save(saga, { ...record, status: "compensated", step: -1 });
      this.#context.cancelTimer(saga);
      return;
    }
    this.#save(saga, { ...record, status: "compensating", step });
    this.#sendCurrent(saga);
  }

  /** Sends the request the saga is waiting on, and sets the timer to send it again. */
  #sendCurrent(saga: string): void {
    const record = this.#record(saga)!;
    const step = record.step;
    const service = record.steps[step]!.service;
    const key = idempotencyKey(saga, step);
    const type = record.status === "running" ? "action" : "compensate";
    this.#context.send(service, { type, saga, step, key });
    this.#attempts.set(saga, (this.#attempts.get(saga) ?? 0) + 1);
    this.#context.setTimer(saga, retryMs);
  }

  #record(saga: string): SagaRecord | undefined {
    return this.#context.storage.get<SagaRecord>(`saga:${saga}`);
  }

  #save(saga: string, record: SagaRecord): void {
    this.#context.storage.set(`saga:${saga}`, record);
  }
}
