import { mutant } from "../../../harness/workbook/mutant.js";

// Sending every compensation at once, first step first: the network may deliver them in any
// order, so the flight can be cancelled while the hotel booked after it is still in force.
export default mutant({
  mistake: "the orchestrator sends all compensations at once, in forward order",
  file: "saga.ts",
  changes: [
    {
      find: '    this.#save(saga, { ...record, status: "compensating", step });\n    this.#sendCurrent(saga);',
      replace:
        '    for (let each = 0; each <= step; each++) {\n      const service = record.steps[each]!.service;\n      const key = idempotencyKey(saga, each);\n      this.#context.send(service, { type: "compensate", saga, step: each, key });\n    }\n    this.#save(saga, { ...record, status: "compensated", step: -1 });\n    this.#context.cancelTimer(saga);',
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "compensations run in reverse order, each after the one before it is done",
  },
});
