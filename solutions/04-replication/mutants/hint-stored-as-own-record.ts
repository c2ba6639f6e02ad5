import { mutant } from "../../../harness/workbook/mutant.js";

// The fallback mixes a hint with its own data: it now serves and anti-entropies a key it does not replicate, and never hands the write home.
export default mutant({
  mistake: "a fallback stores a hinted write as its own record",
  file: "leaderless.ts",
  changes: [
    {
      find: `        if (message.hintFor !== undefined && message.hintFor !== this.#context.id)`,
      replace: `        if (false)`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a hint is kept apart from the replica's own records",
  },
});
