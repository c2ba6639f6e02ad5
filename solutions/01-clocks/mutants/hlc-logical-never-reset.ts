import { mutant } from "../../../harness/workbook/mutant.js";

// A counter that never starts again at zero still orders events, but grows with every event
// ever seen: the bounded counter that lets an HLC timestamp fit in 64 bits is gone.
export default mutant({
  mistake: "the logical counter is never reset to 0 when physical time moves wallMs on",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "const logical = wallMs === previous.wallMs ? previous.logical + 1 : 0;",
      replace: "const logical = previous.logical + 1;",
    },
    {
      find: "    } else {\n      logical = 0;\n",
      replace: "    } else {\n      logical = previous.logical + 1;\n",
    },
  ],
  caughtBy: { exercise: "hybrid-logical-clock", test: "the logical counter stays small" },
});
