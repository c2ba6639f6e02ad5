import { mutant } from "../../../harness/workbook/mutant.js";

// Deleting without a tombstone: a replica that missed the delete still has the old value, and anti-entropy or read repair copies it back to the replicas that forgot the key.
export default mutant({
  mistake: "a delete removes the key instead of keeping a tombstone",
  file: "leaderless.ts",
  changes: [
    {
      find: `    if (!isNewer(record, this.#records.get(key))) return;`,
      replace: `    if (!isNewer(record, this.#records.get(key))) return;\n    if (record.value === null) {\n      this.#records.delete(key);\n      this.#context.storage.delete(\`record:\${key}\`);\n      return;\n    }`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "anti-entropy repairs a replica that missed writes, and deleted keys stay deleted",
  },
});
