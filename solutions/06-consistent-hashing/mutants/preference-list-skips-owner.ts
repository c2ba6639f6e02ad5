import { mutant } from "../../../harness/workbook/mutant.js";

// Starting the walk at the token after the owner's puts the first replica somewhere a reader
// looking for the key's owner will not look.
export default mutant({
  mistake: "the preference list starts after the owner",
  file: "vnode-ring.ts",
  changes: [
    {
      find: "const node = this.#tokens[(start + step) % this.#tokens.length]!.node;",
      replace: "const node = this.#tokens[(start + step + 1) % this.#tokens.length]!.node;",
    },
  ],
  caughtBy: {
    exercise: "vnode-ring",
    test: "the preference list starts at the key's owner and names R distinct nodes clockwise",
  },
});
