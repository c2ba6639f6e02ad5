import { mutant } from "../../../harness/workbook/mutant.js";

// The first reply to arrive is usually the coordinator's own, or the nearest replica's: not necessarily the newest. With R > 1, the point of asking several is to take the highest version.
export default mutant({
  mistake: "a read answers with the first reply that has a value instead of the newest",
  file: "leaderless.ts",
  changes: [
    {
      find: `    if (record !== null && isNewer(record, pending.newest)) pending.newest = record;`,
      replace: `    if (record !== null && pending.newest === null) pending.newest = record;`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a read answers with the newest of the first R replies, not the first to arrive",
  },
});
