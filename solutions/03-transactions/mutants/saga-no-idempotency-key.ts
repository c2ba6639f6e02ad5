import { mutant } from "../../../harness/workbook/mutant.js";

// A fresh key for every attempt: a retry of a booking whose answer was lost is a second booking.
export default mutant({
  mistake: "every retry of a step carries a new idempotency key",
  file: "saga.ts",
  changes: [
    {
      find: "    const key = idempotencyKey(saga, step);\n",
      replace:
        "    const key = `${idempotencyKey(saga, step)}#${this.#attempts.get(saga) ?? 0}`;\n",
    },
  ],
  caughtBy: {
    exercise: "saga",
    test: "no step takes effect twice however often it is retried or duplicated",
  },
});
