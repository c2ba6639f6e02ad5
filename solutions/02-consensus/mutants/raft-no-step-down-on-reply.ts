import { mutant } from "../../../harness/workbook/mutant.js";

// Checking the term only of requests, not of replies: a leader whose heartbeat is answered
// with a newer term carries on leading a term that is over.
export default mutant({
  mistake: "steps down on a newer term in a request, but not in a reply",
  file: "raft.ts",
  changes: [
    {
      find: "if (message.term > this.#currentTerm) this.#stepDown(message.term);",
      replace:
        'if (message.term > this.#currentTerm && (message.type === "RequestVote" || message.type === "AppendEntries")) this.#stepDown(message.term);',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "a leader or candidate that sees a newer term steps down to follower",
  },
});
