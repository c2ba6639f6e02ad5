import { mutant } from "../../../harness/workbook/mutant.js";

// A duplicate records an interval of 0, a reordered heartbeat a negative one, and the last-heartbeat time moves back.
export default mutant({
  mistake: "a duplicated or reordered heartbeat is recorded as an interval",
  file: "phi-accrual.ts",
  changes: [{ find: "      if (timeMs <= this.#lastHeartbeatMs) return;\n", replace: "" }],
  caughtBy: {
    exercise: "phi-accrual",
    test: "a duplicated or reordered heartbeat adds no interval",
  },
});
