import { RunawayLoopError } from "./errors.js";

/**
 * JavaScript cannot interrupt a synchronous infinite loop: a `while` that never ends would hang
 * the test run forever. So the workbook's test setup rewrites every loop in exercise code to
 * call `__workbookLoopGuard()` once per iteration (see harness/workbook/loop-guard-transform.ts),
 * and this counter turns an absurd number of iterations into an error instead of a hang.
 *
 * Ten million iterations within one event, or one test outside a simulation, is far beyond
 * anything the exercises need (their loops run over a handful of nodes or log entries), yet
 * takes well under a second to reach.
 */
export const loopIterationsMax = 10_000_000;

let iterations = 0;
let describeWhere: () => string = () => "in the code under test";

/** Starts a fresh count, at the start of each event or test. */
export function resetLoopGuard(where?: () => string): void {
  iterations = 0;
  if (where !== undefined) describeWhere = where;
}

export function loopGuard(): void {
  if (++iterations > loopIterationsMax) {
    iterations = 0;
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

declare global {
  var __workbookLoopGuard: (() => void) | undefined;
}

globalThis.__workbookLoopGuard = loopGuard;
