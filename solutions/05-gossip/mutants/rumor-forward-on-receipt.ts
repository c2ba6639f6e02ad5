import { mutant } from "../../../harness/workbook/mutant.js";

// Forwarding on receipt chains hops within one round: the rumour crosses the cluster in a round or two, and rounds no longer measure anything.
export default mutant({
  mistake: "forwarding the rumour the moment it arrives",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: "      this.#informedRound ??= this.#round;\n      return;",
      replace:
        '      if (this.#informedRound === undefined && this.#options.mode !== "pull")\n        for (const partner of this.#partners()) this.#context.send(partner, { type: "rumor" });\n      this.#informedRound ??= this.#round;\n      return;',
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "push with fanout 1 takes log2 N + ln N rounds, within 15 %",
  },
});
