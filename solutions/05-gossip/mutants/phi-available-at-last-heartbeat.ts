import { mutant } from "../../../harness/workbook/mutant.js";

// Asking how surprising the silence was when the last heartbeat came, not now: phi is then
// always about zero, and a node that stopped sending is never suspected.
export default mutant({
  mistake: "isAvailable measures phi at the last heartbeat instead of at the time asked",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "return this.phi(timeMs) < this.#threshold;",
      replace: "return this.phi(this.#lastHeartbeatMs ?? timeMs) < this.#threshold;",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "a node that stops sending heartbeats is suspected, and available again when they resume",
  },
});
