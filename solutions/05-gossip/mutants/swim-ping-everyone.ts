import { mutant } from "../../../harness/workbook/mutant.js";

// All-to-all heartbeats: each member's load grows with the group, which is what SWIM exists to avoid.
export default mutant({
  mistake: "pinging every member every period",
  file: "swim.ts",
  changes: [
    {
      find: '      this.#send(target, { type: "ping", sequence });\n',
      replace:
        '      this.#send(target, { type: "ping", sequence });\n      for (const other of this.#liveMembers())\n        if (other !== target) this.#send(other, { type: "ping", sequence: ++this.#sequence });\n',
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "each member's message load per protocol period stays the same as the group grows",
  },
});
