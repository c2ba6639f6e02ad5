import { mutant } from "../../../harness/workbook/mutant.js";

// A repair is trusted blindly: a slow coordinator's repair, computed before a newer write arrived, replaces the newer record with an older one.
export default mutant({
  mistake: "a replica applies a read repair without comparing versions",
  file: "leaderless.ts",
  changes: [
    {
      find: `      case "repair":\n        this.#store(message.key, message.record);`,
      replace: `      case "repair":\n        this.#records.set(message.key, message.record);`,
    },
  ],
  caughtBy: {
    exercise: "leaderless",
    test: "a replica keeps the newest version of a key, whatever brings an older one",
  },
});
