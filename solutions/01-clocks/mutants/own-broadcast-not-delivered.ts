import { mutant } from "../../../harness/workbook/mutant.js";

// Broadcasting only to the peers: the sender never delivers its own message, so its own
// history lacks what every other node delivered.
export default mutant({
  mistake: "the sender does not deliver its own broadcast",
  file: "causal-broadcast.ts",
  changes: [
    { find: "    this.#delivered.push({ from: this.#context.id, payload });\n", replace: "" },
  ],
  caughtBy: { exercise: "causal-broadcast", test: "a node delivers its own broadcast at once" },
});
