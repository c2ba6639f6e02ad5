/**
 * What test files import: everything in the harness's main entry, plus the helpers that only
 * make sense inside vitest (they read which test is running to print its replay command).
 * Node code imports `harness/index.ts` instead, so it never depends on the test runner.
 */
export * from "./index.js";
export { forEachSeed, replayCommand, type SeedOptions } from "./testing/seeds.js";
export {
  checkLinearizable,
  type ClientOutcome,
  type LinearizabilityResult,
  type Model,
  type Operation,
} from "./checkers/linearizability.js";
export { OperationHistory } from "./checkers/operation-history.js";
export {
  checkSerializable,
  type AnomalyCode,
  type SerializabilityOptions,
  type SerializabilityResult,
  type TransactionOperation,
  type TransactionRecord,
} from "./checkers/transactions.js";
export {
  keyValueModel,
  type KeyValueInput,
  type KeyValueOutput,
} from "./checkers/key-value-model.js";
export {
  checkSessionGuarantees,
  type SessionGuarantee,
  type SessionOperation,
  type SessionViolation,
  type VersionedWrite,
} from "./checkers/session-guarantees.js";
