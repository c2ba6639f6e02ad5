import { mutant } from "../../../harness/workbook/mutant.js";

// Random choice is what makes gossip an epidemic: fixed partners form a fixed graph the rumour may never cover.
export default mutant({
  mistake: "always calling the same partners",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: "const other = this.#context.randomInt(index, peers.length - 1);",
      replace: "const other = index;",
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "every mode reaches every node, with fanout 1 and 3, through 10 % loss",
  },
});
