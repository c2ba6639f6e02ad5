import { mutant } from "../../../harness/workbook/mutant.js";

// Writing the log to storage but not reading it back on a restart: a node that acknowledged
// entries comes back without them, and committed entries can vanish from a majority.
export default mutant({
  mistake: "does not restore the log from storage when the node restarts",
  file: "raft.ts",
  changes: [
    {
      find: "      this.#log.push(storage.get<LogEntry<Command>>(logEntryKey(index))!);\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "raft-replication",
    test: "committed entries survive crashes and restarts of the leader and followers",
  },
});
