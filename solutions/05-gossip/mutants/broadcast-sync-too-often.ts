import { mutant } from "../../../harness/workbook/mutant.js";

// Repairs fast, but the sync messages alone blow the message budget.
export default mutant({
  mistake: "anti-entropy every 10 ms",
  file: "epidemic-broadcast.ts",
  changes: [
    { find: "this.#context.randomInt(syncIntervalMs.min, syncIntervalMs.max)", replace: "10" },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "the frugal budget: fewer than 20 messages per operation, median latency under 1 s, maximum under 2 s",
  },
});
