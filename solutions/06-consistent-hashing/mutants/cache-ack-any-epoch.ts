import { mutant } from "../../../harness/workbook/mutant.js";

// An acknowledgement is taken for the transfer of whatever epoch it names: a late one from an
// earlier epoch stops the resending and lets go of keys the receiver never got in this one.
export default mutant({
  mistake: "taking a late acknowledgement from an earlier epoch",
  file: "sharded-cache.ts",
  changes: [
    {
      find: "if (message.epoch !== this.#config.epoch || !this.#unacked.has(from)) return;",
      replace: "if (!this.#unacked.has(from)) return;",
    },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a late acknowledgement from an earlier epoch neither ends a transfer nor lets its keys go",
  },
});
