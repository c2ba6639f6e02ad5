import { mutant } from "../../../harness/workbook/mutant.js";

// The token is the last version seen, not the highest: reading an older key lowers it, and the next read of a newer key may come from the past.
export default mutant({
  mistake: "the token follows the last reply instead of the highest version",
  file: "sessions.ts",
  changes: [
    {
      find: `    // max, not last: an older key read now must not let the token fall back.
    this.#token = newer(this.#token, version);`,
      replace: `    this.#token = version;`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "every session guarantee holds when one follower lags far behind",
  },
});
