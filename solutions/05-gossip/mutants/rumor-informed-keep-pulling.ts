import { mutant } from "../../../harness/workbook/mutant.js";

// Pull is defined by who calls: a node that knows and calls is pushing, and the mode is no longer pull.
export default mutant({
  mistake: "in pull mode, a node that knows keeps calling too",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: 'const calls = mode === "push-pull" || (mode === "push") === informed;',
      replace: 'const calls = mode !== "push" || informed;',
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "pull: only a node that does not know calls, and a node that knows answers",
  },
});
