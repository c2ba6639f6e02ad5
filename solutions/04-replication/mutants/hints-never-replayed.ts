import { mutant } from "../../../harness/workbook/mutant.js";

// Hinted handoff without the handoff: the hint sits on the fallback forever and the home replica never gets the write (only anti-entropy, if any, would bring it).
export default mutant({
  mistake: "hints are kept but never handed off to their home replica",
  file: "leaderless.ts",
  changes: [
    {
      find: `      for (const hint of this.#hints)\n        this.#context.send(hint.home, { type: "handoff", key: hint.key, record: hint.record });`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a hinted write reaches its home replica after it recovers, and the hint is dropped",
  },
});
