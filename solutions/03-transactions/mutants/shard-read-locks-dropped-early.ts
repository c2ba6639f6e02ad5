import { mutant } from "../../../harness/workbook/mutant.js";

// Releasing read locks as soon as the values are sent (plain two-phase locking, not strict): a
// multi-get reads one shard before a multi-put commits and another after.
export default mutant({
  mistake: "a shard holds no lock for a read-only request once it has answered",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: "    this.#holders.set(request.transaction, { ...request, prepared: undefined });",
      replace:
        "    if (request.writes.length > 0)\n      this.#holders.set(request.transaction, { ...request, prepared: undefined });",
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "a multi-get never sees half a multi-put",
  },
});
