import { mutant } from "../../../harness/workbook/mutant.js";

// Forgetting to release on abort: an aborted attempt keeps its locks, and everyone who needs
// those keys waits for a transaction that will never come back for them.
export default mutant({
  mistake: "a shard does not release the locks of an aborted attempt",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: '        this.#finished.add(`${transaction}#${attempt}`);\n        this.#release(transaction);\n        this.#context.send(from, { type: "released", transaction, attempt });\n        return;\n      default:',
      replace:
        '        this.#finished.add(`${transaction}#${attempt}`);\n        this.#context.send(from, { type: "released", transaction, attempt });\n        return;\n      default:',
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "an aborted attempt releases its locks",
  },
});
