import { mutant } from "../../../harness/workbook/mutant.js";

// Pull with nobody answering spreads nothing at all.
export default mutant({
  mistake: "a pull is never answered",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: '    if (this.#options.mode !== "push" && this.#informedRound !== undefined)\n      this.#context.send(from, { type: "rumor" });',
      replace: "    void from;",
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "every mode reaches every node, with fanout 1 and 3, through 10 % loss",
  },
});
