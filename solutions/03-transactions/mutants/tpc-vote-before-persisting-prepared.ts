import { mutant } from "../../../harness/workbook/mutant.js";

// The yes vote leaves before "prepared" is on disk. A crash between the two (in a real system,
// the send and the write are not one event) leaves a participant that promised to commit but
// restarts knowing nothing of the transaction.
export default mutant({
  mistake: 'the participant sends its yes vote before it writes "prepared" to its log',
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "    // The forced write of phase one:",
      replace:
        '    this.#context.send(coordinator, { type: "vote", transaction, vote: "yes" });\n    // The forced write of phase one:',
    },
    {
      find: '    this.#context.send(coordinator, { type: "vote", transaction, vote: "yes" });\n    this.#context.setTimer(',
      replace: "    this.#context.setTimer(",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a participant votes yes on a prepare it can keep, and locks what it wrote",
  },
});
