import { mutant } from "../../../harness/workbook/mutant.js";

// A restarted node's versions start again from 1, so by version alone its new life looks older than its old one.
export default mutant({
  mistake: "digests compared by version alone, across generations",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    if (digest.generation > localGeneration) return requestAll();\n    if (digest.generation < localGeneration) {\n      states[digest.endpoint] = cloneState(local);\n      return;\n    }\n",
      replace: "",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "a newer generation: the whole state is asked for, whatever the versions say",
  },
});
