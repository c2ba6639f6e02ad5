import { mutant } from "../../../harness/workbook/mutant.js";

// Read repair with an older value: the stale replica is sent back its own record, so it stays stale.
export default mutant({
  mistake: "read repair sends a stale replica the value it already had",
  file: "leaderless.ts",
  changes: [
    {
      find: `this.#context.send(replica, { type: "repair", key: pending.key, record: pending.newest });`,
      replace: `this.#context.send(replica, { type: "repair", key: pending.key, record: seen ?? pending.newest });`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "read repair sends the newest record to each replica that answered with an older one, and never an older record",
  },
});
