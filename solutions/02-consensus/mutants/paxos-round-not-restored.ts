import { mutant } from "../../../harness/workbook/mutant.js";

// The round lives only in memory: after a restart the proposer starts again from round 1 and
// can send a ballot it already used, perhaps with another value.
export default mutant({
  mistake: "the proposer's round is stored but not read back after a restart",
  file: "paxos.ts",
  changes: [
    {
      find: "    this.#round = this.#context.storage.get<number>(roundKey) ?? 0;\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "Paxos Made Simple, proposer: a restarted proposer's next ballot is higher than any it used before the crash",
  },
});
