import { mutant } from "../../../harness/workbook/mutant.js";

// A call to yourself is a call wasted: the rumour spreads more slowly than the model says.
export default mutant({
  mistake: "partners drawn from the node and its peers",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: "const peers = [...this.#context.peers];",
      replace: "const peers = [this.#context.id, ...this.#context.peers];",
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "push: only a node that knows calls, sending the rumour to fanout distinct peers a round",
  },
});
