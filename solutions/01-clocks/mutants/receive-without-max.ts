import { mutant } from "../../../harness/workbook/mutant.js";

// A receive that only counts itself as a local event ignores what the message knew: a node
// whose clock is behind stamps the receive earlier than the send that caused it.
export default mutant({
  mistake: "receive ignores the message's timestamp instead of taking the maximum",
  file: "lamport-clock.ts",
  changes: [{ find: "Math.max(this.#time, timestamp) + 1", replace: "this.#time + 1" }],
  caughtBy: {
    exercise: "lamport-clock",
    test: "a receive moves the clock past the timestamp it received",
  },
});
