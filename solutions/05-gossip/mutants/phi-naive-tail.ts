import { mutant } from "../../../harness/workbook/mutant.js";

// 1 − F loses every digit once F is within 1e-16 of 1: ten deviations late, phi becomes Infinity.
export default mutant({
  mistake: "phi computed as -log10(1 - F) everywhere, so F rounds to 1 far into the tail",
  file: "phi-accrual.ts",
  changes: [
    {
      find: "const later = elapsedMs > meanMs ? e / (1 + e) : 1 - 1 / (1 + e);",
      replace: "const later = 1 - 1 / (1 + e);",
    },
  ],
  caughtBy: {
    exercise: "phi-accrual",
    test: "phi stays finite and exact far into the tail, and is zero long before the mean",
  },
});
