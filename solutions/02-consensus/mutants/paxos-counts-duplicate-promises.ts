import { mutant } from "../../../harness/workbook/mutant.js";

// The network duplicates messages: counting promise messages rather than the acceptors that
// sent them lets one acceptor's promise, delivered twice, pass for a majority.
export default mutant({
  mistake: "the proposer counts promise messages, not distinct acceptors",
  file: "paxos.ts",
  changes: [
    {
      find: "attempt.promises.set(from, accepted);",
      replace: "attempt.promises.set(`${from}#${attempt.promises.size}`, accepted);",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "a proposer counts each acceptor's promise once, even when the network duplicates it",
  },
});
