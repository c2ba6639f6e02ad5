import { mutant } from "../../../harness/workbook/mutant.js";

// Jumping lastApplied to commitIndex skips every entry committed in the same step but the last.
export default mutant({
  mistake: "applies only the newest committed entry, skipping those between",
  file: "raft.ts",
  changes: [
    { find: "      this.#lastApplied++;", replace: "      this.#lastApplied = this.#commitIndex;" },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "figure 2, rules for all servers: every committed entry is applied once, in log order",
  },
});
