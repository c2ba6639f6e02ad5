import { mutant } from "../../../harness/workbook/mutant.js";

// The token moves only on reads: a client's own acknowledged write is not in its token, so a follower that has not applied it serves the old value. Read-your-writes broken.
export default mutant({
  mistake: "the session's token is not updated on its own writes",
  file: "sessions.ts",
  changes: [
    {
      find: `  wrote(version: Version): void {
    this.#token = newer(this.#token, version);`,
      replace: `  wrote(version: Version): void {
    void version;`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "every session guarantee holds when one follower lags far behind",
  },
});
