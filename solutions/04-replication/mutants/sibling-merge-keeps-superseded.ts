import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping every sibling: versions that a later write has seen pile up, and reconciling never shrinks the set.
export default mutant({
  mistake: "merge keeps siblings that a newer write has already replaced",
  file: "crdts.ts",
  changes: [
    {
      find: `        (another) => compareVersions(candidate.clock, another.clock) === "before",`,
      replace: `        (another) => compareVersions(candidate.clock, another.clock) === "before" && false,`,
    },
  ],
  caughtBy: {
    exercise: "multi-leader",
    test: "Dynamo's figure 3: concurrent writes become siblings until a write that has seen both",
  },
});
