import { mutant } from "../../../harness/workbook/mutant.js";

// A participant with no record answering "prepared" (I know nothing) instead of refusing: the
// asker can never abort a transaction one participant never voted on.
export default mutant({
  mistake: "a participant that never voted answers that it knows nothing, instead of refusing",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: '      this.#context.storage.set(transactionKey(transaction), {\n        status: "aborted",\n        writes: [],\n        coordinator: "",\n        participants: [],\n      } satisfies ParticipantRecord);\n      this.#context.send(from, { type: "peer-answer", transaction, answer: "aborted" });',
      replace:
        '      this.#context.send(from, { type: "peer-answer", transaction, answer: "prepared" });',
    },
  ],
  caughtBy: {
    exercise: "termination",
    test: "an in-doubt participant aborts when a peer never voted and refuses",
  },
});
