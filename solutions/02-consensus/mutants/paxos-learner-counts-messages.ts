import { mutant } from "../../../harness/workbook/mutant.js";

// Counting accepted messages instead of acceptors: one acceptor's message, delivered twice by
// the network, passes for two votes.
export default mutant({
  mistake: "the learner counts accepted messages, not distinct acceptors",
  file: "paxos.ts",
  changes: [
    {
      find: "    votes.acceptors.add(from);",
      replace: "    votes.acceptors.add(`${from}#${votes.acceptors.size}`);",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "Paxos Made Simple, learner: an acceptor's accepted message counts once, however often it arrives",
  },
});
