import { mutant } from "../../../harness/workbook/mutant.js";

// Refusing without remembering it: the late prepare then gets a yes, and the coordinator can
// commit a transaction a peer has already aborted on the strength of the refusal.
export default mutant({
  mistake: "a participant that never voted refuses a peer but does not log the refusal",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '      this.#context.storage.set(transactionKey(transaction), {\n        status: "aborted",\n        writes: [],\n        coordinator: "",\n        participants: [],\n      } satisfies ParticipantRecord);\n      this.#context.send(from, { type: "peer-answer", transaction, answer: "aborted" });',
      replace:
        '      this.#context.send(from, { type: "peer-answer", transaction, answer: "aborted" });',
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "a participant that never voted refuses when a peer asks, and then votes no",
  },
});
