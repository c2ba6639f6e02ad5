import { mutant } from "../../../harness/workbook/mutant.js";

// An acceptor that keeps its promise only in memory forgets it in a crash. After the restart it
// accepts a proposal under a ballot it had promised to refuse, and a second value can be chosen.
export default mutant({
  mistake: "the acceptor keeps its promise and accepted proposal only in memory",
  file: "paxos.ts",
  changes: [{ find: "    this.#context.storage.set(acceptorKey, record);\n", replace: "" }],
  caughtBy: {
    exercise: "paxos",
    test: "an acceptor keeps its promise and accepted proposal across a crash and restart",
  },
});
