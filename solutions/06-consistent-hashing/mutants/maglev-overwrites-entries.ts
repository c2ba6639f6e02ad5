import { mutant } from "../../../harness/workbook/mutant.js";

// Taking the next preference even when it is already someone else's lets later backends steal
// entries: the counts are no longer within one of each other.
export default mutant({
  mistake: "a Maglev backend takes its next preference even when that entry is taken",
  file: "maglev-table.ts",
  changes: [
    {
      find: "        while (entries[entry] !== undefined) {",
      replace: "        while (entries[entry] !== undefined && next[turn]! < 0) {",
    },
  ],
  caughtBy: { exercise: "stateless-hashing", test: "each backend owns ⌊M/N⌋ or ⌈M/N⌉ entries" },
});
