import { mutant } from "../../../harness/workbook/mutant.js";

// COMMIT leaves before the decision is logged: a coordinator that crashes in between restarts
// with no record, presumes abort, and tells the other participants to abort.
export default mutant({
  mistake: "the coordinator sends COMMIT before it logs the commit decision",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "      this.#context.storage.set(commitKey(transaction), logged);\n",
      replace: "      void logged;\n",
    },
    {
      find: "    this.#sendDecision(transaction);\n    this.#tellClient(transaction, record.client, decision);\n  }",
      replace:
        '    this.#sendDecision(transaction);\n    this.#tellClient(transaction, record.client, decision);\n    if (decision === "commit")\n      this.#context.storage.set(commitKey(transaction), {\n        participants: record.participants,\n        client: record.client,\n      });\n  }',
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "the coordinator logs its commit decision before it sends COMMIT or answers the client",
  },
});
