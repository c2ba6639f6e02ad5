import { mutant } from "../../../harness/workbook/mutant.js";

// Versions compared by index alone: a new epoch restarts at 1, so 2.1 looks older than 1.9 and a session that saw 1.9 is refused by every follower of the new epoch (or served stale).
export default mutant({
  mistake: "versions are compared across epochs by their index",
  file: "sessions.ts",
  changes: [
    {
      find: `  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  return a.index - b.index;`,
      replace: `  return a.index - b.index;`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "every session guarantee holds across a failover to a new epoch, and every client finishes",
  },
});
