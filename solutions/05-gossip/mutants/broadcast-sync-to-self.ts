import { mutant } from "../../../harness/workbook/mutant.js";

// Choosing among the node and its peers wastes rounds on a conversation with yourself.
export default mutant({
  mistake: "anti-entropy sometimes picks the node itself",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: "const peer = peers[this.#context.randomInt(0, peers.length - 1)]!;",
      replace:
        "const everyone = [this.#context.id, ...peers];\n      const peer = everyone[this.#context.randomInt(0, everyone.length - 1)]!;",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "anti-entropy picks a random peer each round, never itself, about twice a second",
  },
});
