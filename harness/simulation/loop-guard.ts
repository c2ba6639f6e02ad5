import { getHeapStatistics } from "node:v8";
import { RunawayLoopError, TimeBudgetExceeded } from "./errors.js";
import { realMonotonicMs } from "./guard-rails.js";

/**
 * JavaScript cannot interrupt a synchronous infinite loop: a `while` that never ends would hang
 * the test run forever. So the workbook's test setup rewrites every loop in exercise code to
 * call `__workbookLoopGuard(site)` once per iteration (see
 * harness/workbook/loop-guard-transform.ts), and this counter turns an absurd number of
 * iterations of one loop into an error instead of a hang.
 *
 * Each loop counts for itself, so the loop that ran away is the one blamed, not whichever small
 * loop happened to run next. Ten million iterations of one loop within one event (or one test
 * outside a simulation) is far beyond anything the exercises need, yet takes well under a
 * second to reach.
 *
 * The same checkpoints enforce a real-time budget and a memory budget: code that is merely
 * slow, or that keeps every message it ever saw, fails with the test, the seed and the handler
 * that was running, instead of a timeout with no seed or a worker killed for lack of memory.
 */
export const loopIterationsMax = 10_000_000;

/**
 * How long one test (or one seed of a `--seeds` sweep) may run, in real time.
 * WORKBOOK_TEST_BUDGET_MS changes it, for the harness's own tests of this budget.
 */
export const testBudgetMs = Number(process.env["WORKBOOK_TEST_BUDGET_MS"] ?? 15_000);

/** How much heap one test may hold. The exercises need a few megabytes. */
export const heapBytesMax = 1_500 * 1024 * 1024;

/**
 * Each loop's count in this event, by site (the offset of the loop's body in its file). A count
 * belongs to the current event only while its site's epoch is the current one, so a reset is one
 * increment however many loops ran: the guard runs on every iteration of every loop in exercise
 * code, and a Map lookup and update there cost more than most loop bodies.
 */
let counts = new Float64Array(1024);
let epochs = new Float64Array(1024);
let epoch = 1;
/** Sites past the arrays' reach (no file is this long), counted the slow way. */
const farSiteCounts = new Map<number, number>();
const farSite = 1 << 20;
let describeWhere: () => string = () => "in the code under test";
let deadlineMs = Number.POSITIVE_INFINITY;
let checkpoints = 0;

/** Starts a fresh count, at the start of each event or test. */
export function resetLoopGuard(where?: () => string): void {
  epoch++;
  if (farSiteCounts.size > 0) farSiteCounts.clear();
  if (where !== undefined) describeWhere = where;
  // Reading the clock on every event would cost more than the event; every 256th is plenty.
  if ((++checkpoints & 255) === 0) checkBudgets();
}

/** Starts a test's (or a seed's) real-time budget. */
export function startTimeBudget(budgetMs = testBudgetMs): void {
  deadlineMs = realMonotonicMs() + budgetMs;
}

export function loopGuard(site = 0): void {
  let count: number;
  if (site >= 0 && site < farSite && (site | 0) === site) {
    if (site >= counts.length) grow(site);
    count = epochs[site] === epoch ? counts[site]! + 1 : 1;
    epochs[site] = epoch;
    counts[site] = count;
  } else {
    count = (farSiteCounts.get(site) ?? 0) + 1;
    farSiteCounts.set(site, count);
  }
  if ((count & 1023) === 0) checkBudgets();
  if (count > loopIterationsMax) {
    epoch++;
    farSiteCounts.clear();
    const error = new RunawayLoopError(
      `A loop ran more than ${loopIterationsMax.toLocaleString("en")} times ${describeWhere()}: ` +
        `almost certainly an infinite loop. Check that every loop changes what its condition tests ` +
        `(a hold-back queue that is re-scanned after a delivery, for example, must shrink).`,
    );
    // Start the stack at the runaway loop itself, so the code frame shows the learner's line.
    Error.captureStackTrace(error, loopGuard);
    throw error;
  }
}

/** Makes room for counting `site`. */
function grow(site: number): void {
  let length = counts.length;
  while (length <= site) length *= 2;
  const grownCounts = new Float64Array(length);
  const grownEpochs = new Float64Array(length);
  grownCounts.set(counts);
  grownEpochs.set(epochs);
  counts = grownCounts;
  epochs = grownEpochs;
}

function checkBudgets(): void {
  if (realMonotonicMs() > deadlineMs) {
    deadlineMs = Number.POSITIVE_INFINITY;
    const error = new TimeBudgetExceeded(
      `The test ran for more than ${testBudgetMs / 1000} s of real time; it stopped ${describeWhere()}. ` +
        `The exercises need well under a second: look for work that grows with every event ` +
        `(re-scanning a whole log, copying every message ever received).`,
    );
    Error.captureStackTrace(error, checkBudgets);
    throw error;
  }
  const heapBytes = getHeapStatistics().used_heap_size;
  if (heapBytes > heapBytesMax) {
    const error = new TimeBudgetExceeded(
      `The test holds more than ${Math.round(heapBytesMax / 1024 / 1024)} MB of memory; it stopped ` +
        `${describeWhere()}. Look for state that grows on every event (a log, queue or set that ` +
        `is never trimmed, or a variable at module level that every run adds to).`,
    );
    Error.captureStackTrace(error, checkBudgets);
    throw error;
  }
}

declare global {
  var __workbookLoopGuard: ((site?: number) => void) | undefined;
}

globalThis.__workbookLoopGuard = loopGuard;
