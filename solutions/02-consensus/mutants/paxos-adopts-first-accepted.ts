import { mutant } from "../../../harness/workbook/mutant.js";

// Taking the first accepted value among the promises (whichever arrived first) instead of the
// highest-numbered one can revive an old, never-chosen value over the one that was chosen.
export default mutant({
  mistake:
    "the proposer adopts the first accepted value among the promises, not the highest-numbered",
  file: "paxos.ts",
  changes: [
    {
      find: "(highest === undefined || proposal.ballot > highest.ballot)",
      replace: "highest === undefined",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "a later proposal adopts the highest-numbered accepted value",
  },
});
