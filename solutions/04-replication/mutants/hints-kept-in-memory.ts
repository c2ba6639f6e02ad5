import { mutant } from "../../../harness/workbook/mutant.js";

// Hints kept only in memory: a hinted write was acknowledged to the client, and a crash of the fallback loses it.
export default mutant({
  mistake: "hints are lost when the node keeping them restarts",
  file: "leaderless.ts",
  changes: [
    {
      find: `    this.#hints = this.#context.storage.get<Hint[]>("hints") ?? [];`,
      replace: `    this.#hints = [];`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a replica keeps its records and hints across a crash and restart",
  },
});
