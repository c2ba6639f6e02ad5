import { mutant } from "../../../harness/workbook/mutant.js";

// A receive that ignores the message's timestamp treats it as a local event: a node whose
// clock is behind stamps the receipt earlier than the send that caused it.
export default mutant({
  mistake: "receive() ignores the remote timestamp's wallMs",
  file: "hybrid-logical-clock.ts",
  changes: [
    {
      find: "Math.max(previous.wallMs, remote.wallMs, physicalMs)",
      replace: "Math.max(previous.wallMs, physicalMs)",
    },
  ],
  caughtBy: {
    exercise: "hybrid-logical-clock",
    test: "a message is received at a later timestamp than it was sent",
  },
});
