import { mutant } from "../../../harness/workbook/mutant.js";

// Infective for one round only: like rumor mongering with k = 1, it leaves a residue that never hears.
export default mutant({
  mistake: "a node pushes only in the round after it learns, then falls silent",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: 'const calls = mode === "push-pull" || (mode === "push") === informed;',
      replace:
        'const calls = mode === "push-pull" || (mode === "push" ? informed && this.#informedRound === this.#round - 1 : !informed);',
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "every mode reaches every node, with fanout 1 and 3, through 10 % loss",
  },
});
