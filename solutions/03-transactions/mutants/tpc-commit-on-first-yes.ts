import { mutant } from "../../../harness/workbook/mutant.js";

// Deciding on the first yes ignores the participants still to vote, one of which may say no.
export default mutant({
  mistake: "the coordinator commits on the first yes vote",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "if (record.participants.every((participant) => record.votes.has(participant))) {",
      replace: "if (record.votes.size > 0) {",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "the coordinator commits only after every participant voted yes, counting each once",
  },
});
