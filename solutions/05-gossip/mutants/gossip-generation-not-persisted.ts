import { mutant } from "../../../harness/workbook/mutant.js";

// A restarted node comes back in the same generation with lower versions, and everyone ignores it as old news.
export default mutant({
  mistake: "the generation is not kept across a restart",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: 'const generation = (this.#context.storage.get<number>("generation") ?? 0) + 1;',
      replace: "const generation = 1;",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "a restarted node's new generation replaces its old state everywhere",
  },
});
