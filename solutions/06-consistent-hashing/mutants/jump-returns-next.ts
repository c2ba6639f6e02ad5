import { mutant } from "../../../harness/workbook/mutant.js";

// The loop ends when the jump lands past the last bucket; that landing place is not a bucket.
export default mutant({
  mistake: "returns the jump that overshot instead of the last bucket it landed in",
  file: "jump-hash.ts",
  changes: [{ find: "  return bucket;\n}", replace: "  return next;\n}" }],
  caughtBy: { exercise: "stateless-hashing", test: "every key lands in a bucket in [0, n)" },
});
