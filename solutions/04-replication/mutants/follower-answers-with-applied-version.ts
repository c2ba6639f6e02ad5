import { mutant } from "../../../harness/workbook/mutant.js";

// The read's version is the follower's last entry rather than the key's write: the client's history claims x was written at a version that wrote something else.
export default mutant({
  mistake: "a follower answers a read with its applied version instead of the key's",
  file: "sessions.ts",
  changes: [
    {
      find: `        version: stored?.version ?? NO_VERSION,`,
      replace: `        version: this.#applied,`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "a follower answers a read once it has applied the token: the key's value and its own version",
  },
});
