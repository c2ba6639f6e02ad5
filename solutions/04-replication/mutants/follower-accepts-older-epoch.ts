import { mutant } from "../../../harness/workbook/mutant.js";

// No fencing: a follower takes appends from any leader, so a deposed leader still changes the log.
export default mutant({
  mistake: "a follower accepts appends from a deposed leader's older epoch",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (message.epoch < this.#epoch) {\n      // Fencing`,
      replace: `    if (false) {\n      // Fencing`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a follower refuses an append from an older epoch and answers with its own",
  },
});
