import { mutant } from "../../../harness/workbook/mutant.js";

// Stamping writes with the time-of-day clock brings back the bug of wall-clock-register.ts: a
// writer whose clock is behind loses to the very write it meant to replace.
export default mutant({
  mistake: "writes are stamped with the node's wall clock instead of its hybrid logical clock",
  file: "lww-register.ts",
  changes: [
    {
      find: "timestamp: this.#clock.now(),",
      replace: "timestamp: { wallMs: this.#context.now(), logical: 0 },",
    },
  ],
  caughtBy: { exercise: "lww-register", test: "a causally later write always wins" },
});
