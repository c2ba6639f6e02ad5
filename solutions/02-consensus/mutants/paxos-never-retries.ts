import { mutant } from "../../../harness/workbook/mutant.js";

// One attempt per proposal: a prepare lost, or pre-empted by another proposer, is never tried
// again, and dueling proposers can leave every node without a value.
export default mutant({
  mistake: "a proposer that has not learned a value never retries",
  file: "paxos.ts",
  changes: [
    {
      find: "    this.#context.setTimer(retryTimer, this.#context.randomInt(retryDelayMsMin, retryDelayMsMax));",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "Paxos Made Simple, proposer: a proposer whose messages were lost tries again with a higher ballot",
  },
});
