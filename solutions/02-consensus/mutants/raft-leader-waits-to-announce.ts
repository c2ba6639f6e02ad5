import { mutant } from "../../../harness/workbook/mutant.js";

// Until its first heartbeat arrives, other nodes keep timing out and standing against the new leader.
export default mutant({
  mistake: "a new leader waits for its heartbeat timer before its first AppendEntries",
  file: "raft.ts",
  changes: [
    {
      find: '    this.#context.cancelTimer("election");\n    // Announce the win at once, before another follower\'s timer runs out.\n    this.#broadcastAppendEntries();',
      replace:
        '    this.#context.cancelTimer("election");\n    this.#context.setTimer("heartbeat", this.#heartbeatIntervalMs);',
    },
  ],
  caughtBy: {
    exercise: "raft-election",
    test: "figure 2, rules for leaders: a new leader sends every server a heartbeat at once, then every heartbeat interval",
  },
});
