import { mutant } from "../../../harness/workbook/mutant.js";

// Relaying what you received multiplies direct mail by N: about N² messages per broadcast.
export default mutant({
  mistake: "every node passes every new value on to every peer (flooding)",
  file: "epidemic-broadcast.ts",
  changes: [
    {
      find: '    if (message.type === "values") {\n      this.#keep(message.values);\n      return;\n    }',
      replace:
        '    if (message.type === "values") {\n      const fresh = message.values.filter((value) => !this.#values.has(value));\n      this.#keep(message.values);\n      if (fresh.length > 0)\n        for (const peer of this.#context.peers)\n          this.#context.send(peer, { type: "values", values: fresh });\n      return;\n    }',
    },
  ],
  caughtBy: {
    exercise: "epidemic-broadcast",
    test: "Glomers' budget: fewer than 30 messages per operation, median latency under 400 ms, maximum under 600 ms",
  },
});
