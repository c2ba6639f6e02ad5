import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

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

/**
 * The orchestrator: runs each saga step by step, keeping its progress in a durable saga log.
 *
 * What the tests expect:
 * - `start` logs the saga and sends `action` for step 0 to its service. Each request carries
 *   the step's idempotency key, the same on every retry and for its compensation.
 * - An unanswered request is sent again about every 100 ms. A reply for a step other than the
 *   one the saga is waiting on is stale: ignore it.
 * - `result` ok: log the step as done and go on to the next; after the last, the saga is
 *   "completed".
 * - `result` not ok, before or at the pivot: the step did not happen; compensate the steps
 *   before it. After the pivot: try again, until it succeeds; never compensate.
 * - An action before the pivot unanswered for about 1 s (10 attempts) has an unknown outcome:
 *   compensate it too, with the steps before it. The pivot and later steps are retried forever.
 * - Compensate one step at a time, latest first, each only after the previous one's
 *   `compensated` ok; a compensation that fails is retried until it succeeds. When step 0 is
 *   compensated, the saga is "compensated".
 * - Write the saga log to `context.storage` before each move; `onStart` carries every unfinished
 *   saga on from the step its log records.
 */
export class SagaOrchestrator implements SimulatedNode<SagaMessage> {
  readonly #context: NodeContext<SagaMessage>;

  constructor(context: NodeContext<SagaMessage>) {
    // Keep the context; add the fields you need (what is not in storage is lost on a crash).
    this.#context = context;
  }

  /** Where `saga` stands; undefined if this orchestrator never started it. */
  status(saga: string): SagaStatus | undefined {
    return todo("3.4", `return where ${saga} stands (from the saga log), or undefined`);
  }

  /** Starts `saga` with `steps`; a saga that is already known is left alone. */
  start(saga: string, steps: SagaStep[]): void {
    todo(
      "3.4",
      `log ${saga} (${steps.length} steps) and send the action of its first step to ${steps[0]?.service ?? "?"}`,
    );
  }

  /** Runs at the start and after every restart: carry on every unfinished saga from its log. */
  onStart(): void {
    todo("3.4", "read the saga log and send again the request each unfinished saga waits on");
  }

  /** Handles `result` and `compensated` from the services. */
  onMessage(from: NodeId, message: SagaMessage): void {
    todo(
      "3.4",
      `handle a ${message.type} from ${from} for ${message.saga} step ${message.step}: go forward, compensate, or ignore it if stale`,
    );
  }

  /** Your retry timers. */
  onTimer(name: string): void {
    todo("3.4", `timer "${name}": send the request again, or give up on an unknown step`);
  }
}
