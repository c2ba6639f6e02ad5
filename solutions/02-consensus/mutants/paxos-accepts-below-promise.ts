import { mutant } from "../../../harness/workbook/mutant.js";

// Comparing an accept with the last accepted ballot instead of the promised one breaks the
// promise of phase 1b: an acceptor that promised ballot 10 but accepted nothing yet takes ballot 7.
export default mutant({
  mistake: "the acceptor accepts a ballot lower than it promised (it checks the accepted ballot)",
  file: "paxos.ts",
  changes: [
    {
      find:
        "    // The promise made in phase 1b: nothing below the promised ballot may be accepted.\n" +
        "    if (this.#promised !== undefined && ballot < this.#promised) {",
      replace: "    if (this.#accepted !== undefined && ballot < this.#accepted.ballot) {",
    },
  ],
  caughtBy: {
    exercise: "paxos",
    test: "an acceptor rejects or ignores a prepare or accept with a lower ballot than it promised",
  },
});
