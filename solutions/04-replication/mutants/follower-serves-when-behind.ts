import { mutant } from "../../../harness/workbook/mutant.js";

// The follower never checks the token: a client's token is carried but ignored, and a lagging follower answers from the past.
export default mutant({
  mistake: "a follower serves a read it has not caught up for",
  file: "sessions.ts",
  changes: [
    {
      find: `      if (compareVersions(this.#applied, message.after) < 0) {`,
      replace: `      if (false as boolean) {`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "a follower that has not applied the token says it is behind, across epochs too",
  },
});
