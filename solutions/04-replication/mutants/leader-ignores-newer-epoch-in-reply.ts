import { mutant } from "../../../harness/workbook/mutant.js";

// The leader reads only the configuration service for epochs; a follower's news that a newer epoch exists is dropped, so a deposed leader that cannot reach the service never steps down.
export default mutant({
  mistake: "a leader ignores a follower telling it a newer epoch has begun",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (message.epoch > this.#epoch) {\n      this.#adoptEpoch(message.epoch, undefined);`,
      replace: `    if (false) {\n      this.#adoptEpoch(message.epoch, undefined);`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a leader steps down when a follower answers from a newer epoch",
  },
});
