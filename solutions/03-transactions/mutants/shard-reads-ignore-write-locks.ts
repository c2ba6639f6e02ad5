import { mutant } from "../../../harness/workbook/mutant.js";

// Treating a shared lock as compatible with an exclusive one: a read goes ahead while another
// transaction holds the key for writing, and sees the value before its commit at one shard and
// after it at another.
export default mutant({
  mistake: "a shard grants a read lock on a key another transaction holds for writing",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: " ||\n          request.reads.some((key) => holder.writes.includes(key))",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "a multi-get never sees half a multi-put",
  },
});
