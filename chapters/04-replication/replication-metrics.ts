import { todo } from "../../harness/index.js";

/**
 * Exercise 4.5 — the measurement's arithmetic. The measure module (replication.measure.ts,
 * provided) runs one workload against your 4.1, 4.3 and 4.4 and records what each client saw;
 * these functions turn those records into the table's numbers. Each is a few lines; the tests
 * give each one small hand-made histories whose numbers you can work out on paper.
 */

/** One client request as the measurement recorded it, in ms of simulated time. */
export interface MeasuredRequest {
  kind: "write" | "read";
  key: string;
  /** When the client first sent the request. */
  requestMs: number;
  /** When the client last sent it: a client resends after a timeout or a redirect. */
  lastSentMs: number;
  /** When the client heard an answer, a success or an error; undefined when it never did. */
  answeredMs: number | undefined;
  /** Whether that answer was a success. For a write, a success is its acknowledgement. */
  ok: boolean;
}

/**
 * Rule 1. The latency of every acknowledged write requested in [fromMs, toMs): from the
 * client's first request to its acknowledgement, which is what the client waited. In any order.
 */
export function writeLatenciesMs(
  requests: readonly MeasuredRequest[],
  fromMs: number,
  toMs: number,
): number[] {
  void requests;
  return todo("4.5", `the latency of each acknowledged write requested in [${fromMs}, ${toMs}) ms`);
}

/**
 * Rule 2. The median and the 99th percentile by nearest rank: the q-quantile of n values is
 * the ⌈q·n⌉-th smallest, a latency that occurred. NaN for both when there are none. Leaves
 * `latenciesMs` as it was.
 */
export function latencyQuantilesMs(latenciesMs: readonly number[]): {
  p50Ms: number;
  p99Ms: number;
} {
  return todo("4.5", `p50 and p99 of ${latenciesMs.length} latencies, by nearest rank`);
}

/**
 * Rule 3. Availability during [fromMs, toMs): of the writes requested in that window, the
 * fraction acknowledged within `deadlineMs` of the request. A write answered with an error, too
 * late or never counts against it. NaN when no write was requested there: no data is not
 * "fully available".
 */
export function availability(
  requests: readonly MeasuredRequest[],
  fromMs: number,
  toMs: number,
  deadlineMs: number,
): number {
  void requests;
  return todo(
    "4.5",
    `the fraction of writes requested in [${fromMs}, ${toMs}) ms acknowledged within ${deadlineMs} ms`,
  );
}

/**
 * Rule 4. How many acknowledged writes no survivor holds. A write never acknowledged was
 * never promised, so it cannot be lost, whether or not it survived.
 */
export function acknowledgedWritesLost<Request extends MeasuredRequest>(
  requests: readonly Request[],
  survives: (write: Request) => boolean,
): number {
  void survives;
  return todo(
    "4.5",
    `count the acknowledged writes of ${requests.length} requests that no survivor holds`,
  );
}

/**
 * Rule 5. How many successful reads are stale: they miss a write to their key that was
 * acknowledged before the read was requested. A write still in flight when the read began is
 * concurrent with it, and may or may not be seen.
 */
export function staleReads<Request extends MeasuredRequest>(
  requests: readonly Request[],
  sees: (read: Request, write: Request) => boolean,
): number {
  void sees;
  return todo(
    "4.5",
    `count the reads of ${requests.length} requests that miss a write acknowledged before they began`,
  );
}

/**
 * Rule 6. Every message the replicas sent, divided by the writes acknowledged: what one
 * completed write cost, heartbeats and reads included. NaN when no write was acknowledged.
 */
export function messagesPerWrite(messages: number, requests: readonly MeasuredRequest[]): number {
  void requests;
  return todo("4.5", `divide ${messages} messages by the writes acknowledged`);
}
