import { mutant } from "../../../harness/workbook/mutant.js";

// Counting yes votes instead of checking that each participant of the transaction gave one: a
// vote from a node outside the transaction makes up for a missing one.
export default mutant({
  mistake: "the coordinator counts yes votes from any node, not one from each participant",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "    if (!record.participants.includes(from)) return;\n",
      replace: "",
    },
    {
      find: "if (record.participants.every((participant) => record.votes.has(participant))) {",
      replace: "if (record.votes.size >= record.participants.length) {",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "the coordinator commits only after every participant voted yes, counting each once",
  },
});
