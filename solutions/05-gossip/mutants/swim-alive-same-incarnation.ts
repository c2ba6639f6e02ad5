import { mutant } from "../../../harness/workbook/mutant.js";

// Then any late alive cancels a fresh suspicion, and the suspected member never has to refute.
export default mutant({
  mistake: "alive at the same incarnation overrides a suspicion",
  file: "swim.ts",
  changes: [
    {
      find: 'if (update.state === "alive") return update.incarnation > known.incarnation;',
      replace: 'if (update.state === "alive") return update.incarnation >= known.incarnation;',
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "news overrides by incarnation: newer wins, stale and late news is ignored, dead is final",
  },
});
