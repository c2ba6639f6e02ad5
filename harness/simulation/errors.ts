/**
 * Errors the simulation raises. Each says what happened in words a learner can act on; the seed
 * runner (`forEachSeed`) adds which exercise and seed it was and the command that replays it.
 */
export class SimulationError extends Error {
  override name = "SimulationError";
}

/** A node's own code threw while handling an event. */
export class NodeError extends SimulationError {
  override name = "NodeError";
}

/** An invariant registered with `addInvariant` stopped holding. */
export class InvariantViolation extends SimulationError {
  override name = "InvariantViolation";
}

/** The run processed more events than its step budget allows. */
export class StepBudgetExceeded extends SimulationError {
  override name = "StepBudgetExceeded";
}

/** Node code reached for real time, real timers or real randomness. */
export class NondeterminismError extends SimulationError {
  override name = "NondeterminismError";
}

/** A loop in node code ran so long that it is almost certainly infinite. */
export class RunawayLoopError extends SimulationError {
  override name = "RunawayLoopError";
}

/** A test ran past its real-time or memory budget. */
export class TimeBudgetExceeded extends SimulationError {
  override name = "TimeBudgetExceeded";
}
