import { mutant } from "../../../harness/workbook/mutant.js";

// Starting from epoch 0 after a restart, the node adopts whatever configuration arrives
// first, a late one of an old epoch included, and serves that epoch's ring again.
export default mutant({
  mistake: "forgetting the epoch across a restart",
  file: "sharded-cache.ts",
  changes: [
    {
      find: 'this.#config = storage.get<CacheConfig>("config") ?? this.#config;',
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a node remembers its epoch across a restart, and ignores an older configuration",
  },
});
