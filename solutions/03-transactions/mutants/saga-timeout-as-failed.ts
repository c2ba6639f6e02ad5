import { mutant } from "../../../harness/workbook/mutant.js";

// Treating an unanswered step as failed: compensating only the steps before it leaves the
// booking it made (whose answer was lost) in force.
export default mutant({
  mistake: "the orchestrator treats a step that timed out as one that did not happen",
  file: "saga.ts",
  changes: [
    {
      find: "        this.#compensateFrom(saga, record, record.step);\n",
      replace: "        this.#compensateFrom(saga, record, record.step - 1);\n",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "a timeout where the action did happen is handled as unknown, not failed",
  },
});
