import { mutant } from "../../../harness/workbook/mutant.js";

// Answering reads at any replica: a follower's copy is behind the leader's by definition, so a
// client that reads there can miss a write that was acknowledged before its read began.
export default mutant({
  mistake: "a follower answers reads from its own copy, presented as if it were the leader's",
  file: "single-leader.ts",
  changes: [
    {
      find: `    if (message.type === "reply") return;
    if (!this.#leading) {`,
      replace: `    if (message.type === "reply") return;
    if (message.type === "read" && !this.#leading) {
      const found = this.#state.get(message.key);
      this.#context.send(from, {
        type: "reply",
        sequence: message.sequence,
        status: "ok",
        value: found?.value ?? "",
        version: found?.version ?? 0,
      });
      return;
    }
    if (!this.#leading) {`,
    },
  ],
  caughtBy: {
    exercise: "single-leader",
    test: "a follower answers a client with not-leader and the leader's name, never from its own copy",
  },
});
