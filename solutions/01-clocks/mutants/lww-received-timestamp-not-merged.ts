import { mutant } from "../../../harness/workbook/mutant.js";

// A hybrid clock that never hears of other nodes' timestamps is just the local wall clock
// with a counter: a node that is behind stamps its write before the one it read.
export default mutant({
  mistake: "a received write's timestamp is not merged into the local clock",
  file: "lww-register.ts",
  changes: [{ find: "    this.#clock.receive(write.timestamp);\n", replace: "" }],
  caughtBy: { exercise: "lww-register", test: "a causally later write always wins" },
});
