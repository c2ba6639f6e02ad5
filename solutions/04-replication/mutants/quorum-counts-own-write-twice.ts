import { mutant } from "../../../harness/workbook/mutant.js";

// The coordinator's local write is counted once when it stores and again when its own acknowledgement arrives: W = 2 is met by one copy.
export default mutant({
  mistake: "the coordinator counts its own write twice toward W",
  file: "leaderless.ts",
  changes: [
    {
      find: `        pending.acked.add(home);`,
      replace: `        pending.acked.add(home);\n        pending.acked.add(\`\${home} (local write)\`);`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a coordinator counts its own copy once, and answers not ok when W is out of reach",
  },
});
