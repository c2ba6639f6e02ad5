import { mutant } from "../../../harness/workbook/mutant.js";

// Without the suspicion timer, a crashed member stays suspected for ever: no completeness.
export default mutant({
  mistake: "a suspicion that never becomes dead",
  file: "swim.ts",
  changes: [
    {
      find: '    if (update.state === "suspect")\n      this.#context.setTimer(`suspect:${update.member}`, swimSettings.suspicionTimeoutMs);\n    else this.#context.cancelTimer(`suspect:${update.member}`);',
      replace: "    this.#context.cancelTimer(`suspect:${update.member}`);",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "a crashed member is declared dead by every live member within the bound",
  },
});
