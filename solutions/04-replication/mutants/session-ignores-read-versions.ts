import { mutant } from "../../../harness/workbook/mutant.js";

// The token moves only on writes: a session that read x at 1.7 from one follower may then read x at 1.3 from a laggier one. Monotonic reads broken.
export default mutant({
  mistake: "the session's token is not updated on reads",
  file: "sessions.ts",
  changes: [
    {
      find: `    // max, not last: an older key read now must not let the token fall back.
    this.#token = newer(this.#token, version);`,
      replace: `    void version;`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "a session's token is the highest version it has written or read, and never goes back",
  },
});
