import { mutant } from "../../../harness/workbook/mutant.js";

// A local event that does not move the clock: two events in a row share a timestamp, so the
// clock no longer tells which came first.
export default mutant({
  mistake: "tick returns the time without adding one to it",
  file: "lamport-clock.ts",
  changes: [
    {
      find: "  tick(): number {\n    this.#time += 1;\n    return this.#time;",
      replace: "  tick(): number {\n    return this.#time;",
    },
  ],
  caughtBy: { exercise: "lamport-clock", test: "a local event advances the clock by one" },
});
