import { mutant } from "../../../harness/workbook/mutant.js";

// Reading the saga log but starting over from the first step after a crash: every step is
// requested again, and a saga that was compensating goes forward again.
export default mutant({
  mistake: "a restarted orchestrator runs each unfinished saga again from its first step",
  file: "saga.ts",
  changes: [
    {
      find: '      if (record.status === "running" || record.status === "compensating") this.#sendCurrent(saga);',
      replace:
        '      if (record.status === "running" || record.status === "compensating") {\n        this.#save(saga, { ...record, status: "running", step: 0 });\n        this.#sendCurrent(saga);\n      }',
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "after an orchestrator crash the saga continues from its log, not from the start",
  },
});
