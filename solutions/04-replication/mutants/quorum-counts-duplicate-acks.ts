import { mutant } from "../../../harness/workbook/mutant.js";

// Counting messages instead of replicas: the network duplicates one replica's acknowledgement and the write is reported durable on W replicas when fewer hold it.
export default mutant({
  mistake: "acknowledgements are counted per message, so a duplicate counts twice",
  file: "leaderless.ts",
  changes: [
    {
      find: `    pending.acked.add(from);`,
      replace: `    pending.acked.add(\`\${from}#\${pending.acked.size}\`);`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a coordinator acknowledges a write once W distinct replicas stored it, a duplicate counting once",
  },
});
