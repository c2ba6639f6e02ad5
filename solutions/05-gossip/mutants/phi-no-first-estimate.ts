import { mutant } from "../../../harness/workbook/mutant.js";

// A node that sends one heartbeat and dies would never be suspected.
export default mutant({
  mistake: "phi stays 0 until a second heartbeat arrives",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "    const measured = this.#window.count > 0;\n",
      replace: "    const measured = this.#window.count > 0;\n    if (!measured) return 0;\n",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "after one heartbeat, phi follows the first-heartbeat estimate",
  },
});
