import { mutant } from "../../../harness/workbook/mutant.js";

// phi must measure the silence since the latest heartbeat; measured from the first, every node is soon suspected.
export default mutant({
  mistake: "the time of the last heartbeat is set once and never moved",
  file: "phi-accrual.ts",
  changes: [
    { find: "this.#lastHeartbeatMs = timeMs;", replace: "this.#lastHeartbeatMs ??= timeMs;" },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "the detector forgets intervals older than its window",
  },
});
