import { describe, expect, test } from "vitest";
import { OperationHistory } from "./operation-history.js";

describe("an operation history", () => {
  test("records each call and return in true time, keeps a copy of the input, and leaves an unanswered operation open", () => {
    let nowMs = 10;
    const history = new OperationHistory<{ key: string }, string>(() => nowMs);
    const input = { key: "x" };
    const answered = history.begin("c1", input);
    const unanswered = history.begin("c2", { key: "y" });
    input.key = "changed by the caller";
    nowMs = 25;
    history.end(answered, "ok");
    expect(answered, "the answered operation").toEqual({
      client: "c1",
      input: { key: "x" },
      output: "ok",
      callMs: 10,
      returnMs: 25,
    });
    expect(unanswered.returnMs, "an operation never answered").toBe(Infinity);
    expect(history.completed(), "the operations that got an answer").toEqual([answered]);
    expect(history.operations, "every operation, in the order called").toEqual([
      answered,
      unanswered,
    ]);
  });
});
