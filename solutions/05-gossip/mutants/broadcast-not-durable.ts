import { mutant } from "../../../harness/workbook/mutant.js";

// A node that crashes before its mail gets out takes the value with it.
export default mutant({
  mistake: "values kept only in memory",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: '    if (this.#values.size !== before) this.#context.storage.set("values", [...this.#values]);\n',
      replace: "    void before;\n",
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "a value survives its node's crash, even when the crash came before its mail got out",
  },
});
