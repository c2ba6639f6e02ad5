import { mutant } from "../../../harness/workbook/mutant.js";

// Waiting for every replica: reads never go stale, but R stops meaning anything, and a read fails whenever one replica is down. The stale-read rate no longer matches C(N-W, R)/C(N, R).
export default mutant({
  mistake: "a read waits for all N replicas instead of R",
  file: "leaderless.ts",
  changes: [
    {
      find: `    if (!pending.done && pending.replies.size >= this.#options.r) {`,
      replace: `    if (!pending.done && pending.replies.size >= this.#options.n) {`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "the stale-read rate with random replicas matches C(N−W, R)/C(N, R): N=3 W=1 R=1",
  },
});
