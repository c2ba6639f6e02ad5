import { mutant } from "../../../harness/workbook/mutant.js";

// Deciding on the first yes: the other shard may not have prepared, so the commit lands at one
// shard and not the other.
export default mutant({
  mistake: "the client commits when the first shard votes yes",
  file: "sharded-transactions.ts",
  changes: [
    {
      find: "      if (this.#writeShards(current).every((shard) => current.votes.has(shard))) this.#finish();",
      replace: "      if (current.votes.size > 0) this.#finish();",
    },
  ],
  caughtBy: {
    exercise: "sharded-transactions",
    test: "a transfer between shards commits at both, and money is conserved",
  },
});
