import { mutant } from "../../../harness/workbook/mutant.js";

// Treating "never heard from" as "dead": every node that joins is suspected before its first
// heartbeat can arrive, and a cluster that starts together suspects everyone.
export default mutant({
  mistake: "a node never heard from is suspected at once (phi is infinite before any heartbeat)",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "if (this.#lastHeartbeatMs === undefined) return 0;",
      replace: "if (this.#lastHeartbeatMs === undefined) return Infinity;",
    },
  ],
  caughtBy: { exercise: "phi-accrual", test: "phi is zero before the first heartbeat" },
});
