import { mutant } from "../../../harness/workbook/mutant.js";

// Cheap, but a value then needs several anti-entropy rounds of half a second to reach everyone.
export default mutant({
  mistake: "direct mail to one random peer, leaving the rest to anti-entropy",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: '    for (const peer of this.#context.peers)\n      this.#context.send(peer, { type: "values", values: [value] });',
      replace:
        '    const peers = this.#context.peers;\n    if (peers.length > 0)\n      this.#context.send(peers[this.#context.randomInt(0, peers.length - 1)]!, { type: "values", values: [value] });',
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "Glomers' budget: fewer than 30 messages per operation, median latency under 400 ms, maximum under 600 ms",
  },
});
