import { mutant } from "../../../harness/workbook/mutant.js";

// Semi-synchronous treated as asynchronous: the one follower copy that makes a failover safe is never waited for.
export default mutant({
  mistake: "semi-synchronous mode acknowledges without any follower's copy",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (this.#mode === "semi-synchronous") return Math.min(1, this.#followers.length);`,
      replace: `    if (this.#mode === "semi-synchronous") return 0;`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "semi-synchronous waits for one follower; asynchronous for none",
  },
});
