import { mutant } from "../../../harness/workbook/mutant.js";

// Transfers are resent until acknowledged, so copies arrive after the new owner has taken
// newer writes; storing whatever arrives puts the old value back.
export default mutant({
  mistake: "letting a repeated transfer overwrite a newer write",
  file: "sharded-cache.ts",
  changes: [
    { find: "if (held !== undefined && held.version >= entry.version) return;", replace: "" },
  ],
  caughtBy: {
    exercise: "sharded-cache",
    test: "a repeated or late transfer never overwrites a newer write",
  },
});
