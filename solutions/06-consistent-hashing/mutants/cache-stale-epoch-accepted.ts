import { mutant } from "../../../harness/workbook/mutant.js";

// Refusing only requests from the future lets a client that has not heard of the new epoch
// write to the old owner after its keys have moved: the write lands behind the transfer.
export default mutant({
  mistake: "accepting a request tagged with an older epoch",
  file: "sharded-cache.ts",
  changes: [
    { find: "if (epoch !== this.#config.epoch)", replace: "if (epoch > this.#config.epoch)" },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a node serves only requests tagged with its own epoch",
  },
});
