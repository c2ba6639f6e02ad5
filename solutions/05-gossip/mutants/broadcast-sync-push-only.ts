import { mutant } from "../../../harness/workbook/mutant.js";

// Push-only anti-entropy: the node that synced learns nothing from the answer it never gets.
export default mutant({
  mistake: "a sync is never answered",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: '    if (missing.length > 0) this.#context.send(from, { type: "values", values: missing });\n',
      replace: "    void missing;\n",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "a sync is answered with exactly the values the sender lacks",
  },
});
