import { mutant } from "../../../harness/workbook/mutant.js";

// Direct mail alone is unreliable: with 10 % loss, some node misses some value for ever.
export default mutant({
  mistake: "no anti-entropy: a value whose mail was lost is never sent again",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: '      this.#context.send(peer, { type: "sync", values: this.read() });',
      replace: "      void peer;",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "every value reaches every live node, through 10 % loss, crashes and a healed partition",
  },
});
