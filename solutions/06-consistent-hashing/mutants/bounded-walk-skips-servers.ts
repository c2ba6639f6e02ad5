import { mutant } from "../../../harness/workbook/mutant.js";

// Jumping to the next server's next token by two steps at a time skips servers with room.
export default mutant({
  mistake: "the walk skips tokens: it steps two at a time",
  file: "bounded-load-ring.ts",
  changes: [
    {
      find: "index = (index + 1) % this.#tokens.length;",
      replace: "index = (index + 2) % this.#tokens.length;",
    },
  ],
  caughtBy: {
    exercise: "bounded-load-ring",
    test: "an item walks past full servers only: every server it passed is at capacity",
  },
});
