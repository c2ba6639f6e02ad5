/**
 * Exercise 4.5 — the measurement's arithmetic (reference solution). The measure module
 * (replication.measure.ts, provided) runs one workload against every strategy and records what
 * each client saw; these functions turn those records into the table's numbers.
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

/** A write the client was told succeeded. */
function isAcknowledgedWrite(request: MeasuredRequest): boolean {
  return request.kind === "write" && request.ok && request.answeredMs !== undefined;
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
  return requests
    .filter((request) => request.requestMs >= fromMs && request.requestMs < toMs)
    .filter(isAcknowledgedWrite)
    .map((request) => request.answeredMs! - request.requestMs);
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
  if (latenciesMs.length === 0) return { p50Ms: NaN, p99Ms: NaN };
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  const nearestRank = (q: number) => sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
  return { p50Ms: nearestRank(0.5), p99Ms: nearestRank(0.99) };
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
  const writes = requests.filter(
    (request) =>
      request.kind === "write" && request.requestMs >= fromMs && request.requestMs < toMs,
  );
  if (writes.length === 0) return NaN;
  const inTime = writes.filter(
    (write) => isAcknowledgedWrite(write) && write.answeredMs! - write.requestMs <= deadlineMs,
  );
  return inTime.length / writes.length;
}

/**
 * Rule 4. How many acknowledged writes no survivor holds. A write never acknowledged was
 * never promised, so it cannot be lost, whether or not it survived.
 */
export function acknowledgedWritesLost<Request extends MeasuredRequest>(
  requests: readonly Request[],
  survives: (write: Request) => boolean,
): number {
  return requests.filter((request) => isAcknowledgedWrite(request) && !survives(request)).length;
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
  const writes = requests.filter(isAcknowledgedWrite);
  const reads = requests.filter((request) => request.kind === "read" && request.ok);
  return reads.filter((read) =>
    writes.some(
      (write) => write.key === read.key && write.answeredMs! < read.requestMs && !sees(read, write),
    ),
  ).length;
}

/**
 * Rule 6. Every message the replicas sent, divided by the writes acknowledged: what one
 * completed write cost, heartbeats and reads included. NaN when no write was acknowledged.
 */
export function messagesPerWrite(messages: number, requests: readonly MeasuredRequest[]): number {
  const writes = requests.filter(isAcknowledgedWrite).length;
  return writes === 0 ? NaN : messages / writes;
}
