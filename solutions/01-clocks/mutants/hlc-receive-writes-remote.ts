import { mutant } from "../../../harness/workbook/mutant.js";

// Keeping the message's timestamp object as the clock's own latest: the next event writes
// into the message, changing what the sender's timestamp appears to have been.
export default mutant({
  mistake: "receive keeps the message's timestamp object and counts on in it",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "    } else if (wallMs === remote.wallMs) {\n      // The sender's clock is ahead of ours: adopt its time and count past its event.\n      logical = remote.logical + 1;",
      replace:
        "    } else if (wallMs === remote.wallMs) {\n      // The sender's clock is ahead of ours: adopt its time and count past its event.\n      remote.logical += 1;\n      this.#latest = remote;\n      return { ...remote };",
    },
    {
      find: "    const logical = wallMs === previous.wallMs ? previous.logical + 1 : 0;\n    return this.#issue({ wallMs, logical });",
      replace:
        "    if (wallMs === previous.wallMs) {\n      previous.logical += 1;\n      return { ...previous };\n    }\n    return this.#issue({ wallMs, logical: 0 });",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "receive does not change the timestamp it is given",
  },
});
