import { mutant } from "../../../harness/workbook/mutant.js";

// Sloppy always: with a strict quorum a write must reach W of the key's own N replicas, or fail; counting stand-ins breaks R + W > N.
export default mutant({
  mistake: "a strict quorum falls back to nodes outside the key's home replicas",
  file: "leaderless.ts",
  changes: [
    {
      find: `    if (this.#options.sloppy)`,
      replace: `    if (true)`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "strict quorum: a write that cannot reach W home replicas fails and leaves no hint",
  },
});
