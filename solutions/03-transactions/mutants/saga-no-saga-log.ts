import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping the saga's progress in memory only: after a crash the orchestrator has forgotten the
// saga, and the bookings already made are never completed nor compensated.
export default mutant({
  mistake: "the orchestrator keeps the saga's state in memory, not in a durable saga log",
  file: "saga.ts",
  changes: [
    {
      find: "  readonly #attempts = new Map<string, number>();\n",
      replace:
        "  readonly #attempts = new Map<string, number>();\n  readonly #memory = new Map<string, SagaRecord>();\n",
    },
    {
      find: "    return this.#context.storage.get<SagaRecord>(`saga:${saga}`);",
      replace: "    return this.#memory.get(saga);",
    },
    {
      find: "    this.#context.storage.set(`saga:${saga}`, record);",
      replace: "    this.#memory.set(saga, record);",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "after an orchestrator crash the saga continues from its log, not from the start",
  },
});
