import { mutant } from "../../../harness/workbook/mutant.js";

// Without the buddy system, a suspect hears of its suspicion only while the news is still being
// passed on: a member that was paused for a while may resume after everyone has stopped telling,
// never refute, and be declared dead while alive.
export default mutant({
  mistake: "a suspicion is not sent to the suspect itself once its retransmissions are used up",
  file: "swim.ts",
  changes: [
    {
      find: '    if (known?.state === "suspect" && !updates.some((update) => update.member === to))\n      updates.unshift({ member: to, state: "suspect", incarnation: known.incarnation });\n',
      replace: "    void known;\n",
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "a member's messages to a suspect carry the suspicion, even after the news was dropped",
  },
});
