import { mutant } from "../../../harness/workbook/mutant.js";

// Counting the acceptors that accepted a value, whatever the ballot: two acceptors that
// accepted "X" under ballots 1 and 2 look like a majority, though neither ballot has one.
export default mutant({
  mistake: "the learner counts accepts of a value across different ballots",
  file: "paxos.ts",
  changes: [
    {
      find: "    let votes = this.#votes.get(ballot);\n    if (votes === undefined) {\n      votes = { value, acceptors: new Set() };\n      this.#votes.set(ballot, votes);\n    }",
      replace:
        "    let votes = [...this.#votes.values()].find((each) => each.value === value);\n    if (votes === undefined) {\n      votes = { value, acceptors: new Set() };\n      this.#votes.set(ballot, votes);\n    }",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "Paxos Made Simple, learner: a value is chosen by a majority of one ballot, not by accepts of it under different ballots",
  },
});
