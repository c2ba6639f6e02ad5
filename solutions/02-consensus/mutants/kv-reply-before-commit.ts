import { mutant } from "../../../harness/workbook/mutant.js";

// Answering as soon as the entry is in the leader's log, without waiting for it to be
// committed and applied: a leader cut off from the majority acknowledges writes that are then
// lost, and answers reads from whatever its map happens to hold.
export default mutant({
  mistake:
    "the leader answers a request when it proposes it, before the entry is committed and applied",
  file: "raft-kv.ts",
  changes: [
    {
      find: "    this.#waiting.set(proposed.index, { clientId, sequence, term: proposed.term });",
      replace: `    const value = operation.kind === "get" ? (this.#data.get(operation.key) ?? "") : undefined;
    this.#send(clientId, { type: "kv-reply", sequence, status: "ok", value });`,
    },
  ],
  caughtBy: {
    exercise: "raft-kv",
    test: "the minority side of a partition answers nothing, the majority side keeps serving, and all agree once it heals",
  },
});
