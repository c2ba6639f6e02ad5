import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping transferred entries only in memory and acknowledging them: the sender forgets its
// copy on the ack, and a crash of the receiver loses the keys for good.
export default mutant({
  mistake: "acknowledging a transfer before storing it durably",
  file: "sharded-cache.ts",
  changes: [
    {
      find: "this.#store(key, { value, version });",
      replace: "this.#entries.set(key, { value, version });",
    },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a transferred key survives a crash right after its acknowledgement",
  },
});
