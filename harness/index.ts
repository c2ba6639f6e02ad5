/**
 * The workbook's harness: a small deterministic simulator of nodes on an unreliable network,
 * and the helpers its tests share. Exercises import everything from here.
 */
export { Simulation, NodeGroup } from "./simulation/simulation.js";
export { observeSends } from "./simulation/observe-sends.js";
export type {
  ClockOptions,
  DurableStorage,
  LinkOptions,
  NodeContext,
  NodeFactory,
  NodeId,
  RangeMs,
  SimulatedNode,
  SimulationOptions,
} from "./simulation/types.js";
export { Random } from "./simulation/random.js";
export {
  totalMessageCounts,
  type MessageCount,
  type NodeMessageCounts,
} from "./simulation/message-counts.js";
export { traceToMermaid, type DiagramOptions } from "./simulation/trace-diagram.js";
export {
  formatTrace,
  formatTraceEvent,
  type TraceEvent,
  type TraceDocument,
} from "./simulation/trace.js";
export {
  InvariantViolation,
  NodeError,
  NondeterminismError,
  RunawayLoopError,
  SimulationError,
  StepBudgetExceeded,
} from "./simulation/errors.js";
export { NotPlainDataError } from "./simulation/wire.js";
export { todo, TodoError } from "./testing/todo.js";
