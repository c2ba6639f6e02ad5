import { mutant } from "../../../harness/workbook/mutant.js";

// Task 3 left out: a leader that loses its term keeps its clients waiting for entries that may
// never commit, and each waits out its whole retry timeout.
export default mutant({
  mistake: "a node that lost leadership leaves its waiting clients to time out",
  file: "raft-kv.ts",
  changes: [
    {
      find: "      if (isLeader && waiting.term === term) continue;",
      replace: "      continue;",
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "a leader that loses its term tells its waiting clients to try elsewhere",
  },
});
