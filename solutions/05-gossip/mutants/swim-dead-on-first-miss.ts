import { mutant } from "../../../harness/workbook/mutant.js";

// With 10 % loss a probe fails now and then for a live member; without suspicion it is dead at once.
export default mutant({
  mistake: "declaring a member dead on the first missed probe, with no suspicion",
  file: "swim.ts",
  changes: [
    {
      find: 'this.#apply({ member: target, state: "suspect", incarnation: known.incarnation });',
      replace: 'this.#apply({ member: target, state: "dead", incarnation: known.incarnation });',
    },
  ],
  caughtBy: {
    exercise: "swim",
    test: "with 10 % loss and indirect probes, no live member is declared dead",
  },
});
