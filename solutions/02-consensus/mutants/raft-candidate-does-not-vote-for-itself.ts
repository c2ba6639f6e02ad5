import { mutant } from "../../../harness/workbook/mutant.js";

// A candidate that does not record its own vote can also vote for a rival in the same term.
export default mutant({
  mistake: "a candidate counts its own vote but does not record it as votedFor",
  file: "raft.ts",
  changes: [
    {
      find: '    this.#role = "candidate";\n    this.#votedFor = this.#context.id;',
      replace: '    this.#role = "candidate";\n    this.#votedFor = undefined;',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for candidates: on conversion, increment the term, vote for itself and ask every other server",
  },
});
