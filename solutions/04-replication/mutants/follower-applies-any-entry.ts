import { mutant } from "../../../harness/workbook/mutant.js";

// The follower applies whatever arrives: a retransmission moves it back in time and an entry after a gap leaves a hole, so its state is no prefix of the log.
export default mutant({
  mistake: "a follower applies entries without checking they follow what it holds",
  file: "sessions.ts",
  changes: [
    {
      find: `    if (compareVersions(entry.previous, this.#applied) !== 0) return;
`,
      replace: ``,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "a follower ignores an entry that does not follow what it holds, and duplicates change nothing",
  },
});
