import { mutant } from "../../../harness/workbook/mutant.js";

// Accepting a ballot without promising it: an acceptor that accepted (5, v) with no prepare
// before it still promises and accepts ballot 3, and trades the newer value for an older one.
export default mutant({
  mistake: "accepting a ballot does not raise the acceptor's promise to it",
  file: "paxos.ts",
  changes: [
    {
      find: "    this.#promised = ballot;\n    this.#accepted = { ballot, value };",
      replace: "    this.#accepted = { ballot, value };",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "Paxos Made Simple, P1a: accepting a ballot never promised raises the promise to it",
  },
});
