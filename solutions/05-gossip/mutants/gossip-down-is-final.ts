import { mutant } from "../../../harness/workbook/mutant.js";

// Marking up only on a new generation: a paused node that resumes stays down for ever.
export default mutant({
  mistake: "a node marked down is never marked up again",
  file: "cassandra-gossip.ts",
  changes: [
    {
      find: "    this.#up.add(endpoint);\n  }",
      replace:
        "    if (!this.#detectors.has(endpoint) || this.#detectors.get(endpoint)!.window.count === 0) this.#up.add(endpoint);\n  }",
    },
  ],
  caughtBy: {
    exercise: "cassandra-gossip",
    test: "a paused node is marked down, and up again when it resumes",
  },
});
