import { mutant } from "../../../harness/workbook/mutant.js";

// Any transfer marks its sender as heard from: a late one from an earlier epoch makes the new
// owner ready, and serve, before that sender's transfer for this epoch has arrived.
export default mutant({
  mistake: "counting a late transfer from an earlier epoch as this epoch's",
  file: "sharded-cache.ts",
  changes: [
    {
      find: `          this.#received.add(from);
          this.#context.storage.set("received", [...this.#received]);
        }`,
      replace: `        }
        this.#received.add(from);
        this.#context.storage.set("received", [...this.#received]);`,
    },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a late transfer from an earlier epoch is acknowledged but does not count for this one",
  },
});
