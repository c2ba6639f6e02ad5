import { mutant } from "../../../harness/workbook/mutant.js";

// A leader has no election timer; one that steps down without arming it never stands again.
export default mutant({
  mistake: "a leader that steps down does not arm its election timer",
  file: "raft.ts",
  changes: [
    {
      find: '      this.#context.cancelTimer("heartbeat");\n      this.#resetElectionTimer();',
      replace: '      this.#context.cancelTimer("heartbeat");',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for all servers: a leader that steps down starts its election timer again",
  },
});
