import { mutant } from "../../../harness/workbook/mutant.js";

// A new leader serves as soon as it is named, before it knows what was committed: its applied state can lack writes the old leader acknowledged, so a read returns the past.
export default mutant({
  mistake: "a new leader serves reads before its epoch's first entry is committed",
  file: "single-leader.ts",
  changes: [
    {
      find: `      this.#commitIndex >= this.#epochStartIndex`,
      replace: `      true`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a new leader answers no read before the first entry of its epoch is committed",
  },
});
