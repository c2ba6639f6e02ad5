import { mutant } from "../../../harness/workbook/mutant.js";

// A proposer that always proposes its own value ignores what the promises told it: a value may
// already be chosen, and proposing another one under a higher ballot chooses a second value.
export default mutant({
  mistake: "the proposer proposes its own value instead of the highest-numbered accepted one",
  file: "paxos.ts",
  changes: [
    {
      find: "const value = highest?.value ?? this.#value;",
      replace: "const value = this.#value;",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "a later proposal adopts the highest-numbered accepted value",
  },
});
