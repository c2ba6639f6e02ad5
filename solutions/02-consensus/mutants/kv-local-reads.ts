import { mutant } from "../../../harness/workbook/mutant.js";

// Serving a get from the leader's own map, without going through the log: a leader cut off by
// a partition still believes it leads, and answers with a value the majority has overwritten.
export default mutant({
  mistake: "the leader answers gets from its local map instead of committing them through the log",
  file: "raft-kv.ts",
  changes: [
    {
      find: "    const proposed = this.#raft.propose({ clientId, sequence, operation });",
      replace: `    if (operation.kind === "get" && this.#raft.role === "leader") {
      const value = this.#data.get(operation.key) ?? "";
      this.#send(clientId, { type: "kv-reply", sequence, status: "ok", value });
      return;
    }
    const proposed = this.#raft.propose({ clientId, sequence, operation });`,
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "a deposed leader in a minority never answers a get with stale data",
  },
});
