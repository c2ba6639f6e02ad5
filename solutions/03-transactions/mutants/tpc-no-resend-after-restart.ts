import { mutant } from "../../../harness/workbook/mutant.js";

// A restarted coordinator that reads its log but does not act on it leaves prepared
// participants holding locks until they happen to ask.
export default mutant({
  mistake: "a restarted coordinator does not re-send the commits in its log",
  file: "two-phase-commit.ts",
  changes: [
    {
      find: "      });\n      this.#sendDecision(transaction);\n    }",
      replace: "      });\n    }",
    },
  ],
  caughtBy: {
    exercise: "two-phase-commit",
    test: "a restarted coordinator re-sends a logged commit until every participant acknowledges it",
  },
});
