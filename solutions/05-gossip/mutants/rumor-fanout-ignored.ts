import { mutant } from "../../../harness/workbook/mutant.js";

// The fanout is the protocol's main knob: ignoring it makes fanout 3 as slow as fanout 1.
export default mutant({
  mistake: "one partner a round whatever the fanout",
  file: "rumor-spreading.ts",
  changes: [
    {
      find: "const count = Math.min(this.#options.fanout, peers.length);",
      replace: "const count = Math.min(1, peers.length);",
    },
  ],
  caughtBy: {
    exercise: "rumor-spreading",
    test: "push: only a node that knows calls, sending the rumour to fanout distinct peers a round",
  },
});
