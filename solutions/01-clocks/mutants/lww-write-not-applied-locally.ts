import { mutant } from "../../../harness/workbook/mutant.js";

// broadcast() sends to the peers only: a writer that does not apply its own write keeps
// showing the old value, and holds a different value from everyone else.
export default mutant({
  mistake: "a write is sent to the other replicas but not applied on the node that made it",
  file: "lww-register.ts",
  changes: [
    {
      find: "    this.#apply(write);\n    this.#context.broadcast(write);",
      replace: "    this.#context.broadcast(write);",
    },
  ],
  caughtBy: { exercise: "lww-register", test: "reads after a write on the same node see it" },
});
