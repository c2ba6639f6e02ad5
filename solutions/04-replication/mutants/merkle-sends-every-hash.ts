import { mutant } from "../../../harness/workbook/mutant.js";

// Walking the whole tree: once the roots differ every hash is sent, level by level, which is as costly as comparing every leaf.
export default mutant({
  mistake:
    "anti-entropy sends every hash of the next level, not only the children of differing nodes",
  file: "leaderless.ts",
  changes: [
    {
      find: `    const children = differing.flatMap((index) => [2 * index, 2 * index + 1]);`,
      replace: `    const children = tree[level + 1]!.map((_, index) => index);`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "anti-entropy sends hashes in proportion to tree depth times differing leaves, not to the number of keys",
  },
});
