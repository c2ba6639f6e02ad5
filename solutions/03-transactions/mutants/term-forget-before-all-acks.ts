import { mutant } from "../../../harness/workbook/mutant.js";

// Dropping the commit record on the first acknowledgement: a participant whose COMMIT was lost
// asks the restarted coordinator, which finds no record and answers abort.
export default mutant({
  mistake: "the coordinator forgets a commit before every participant has acknowledged it",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "    if (record.participants.every((participant) => record.acknowledged.has(participant))) {",
      replace: "    if (record.acknowledged.size > 0) {",
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "a decision is forgotten only after every participant acknowledged it",
  },
});
