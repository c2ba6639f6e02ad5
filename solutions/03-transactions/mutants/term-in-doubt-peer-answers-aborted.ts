import { mutant } from "../../../harness/workbook/mutant.js";

// An in-doubt peer answering "aborted" because it has not committed: it does not know that, and
// the asker aborts a transaction that may have committed.
export default mutant({
  mistake: "a prepared peer answers aborted",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '    this.#context.send(from, { type: "peer-answer", transaction, answer: record.status });',
      replace:
        '    const answer = record.status === "committed" ? "committed" : "aborted";\n    this.#context.send(from, { type: "peer-answer", transaction, answer });',
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "a peer answers with what it knows: committed, aborted, or still prepared",
  },
});
