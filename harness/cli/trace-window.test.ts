import { describe, expect, test } from "vitest";
import { parseArguments } from "./arguments.js";
import { UsageError } from "./selection.js";

const spec = { from: "milliseconds", to: "milliseconds", events: "number" } as const;

describe("trace --from, --to and --events", () => {
  test("--from and --to take milliseconds of simulated time: zero and fractions too", () => {
    const parsed = parseArguments(["--from", "0", "--to=921.5", "--events", "50"], spec, "trace");
    expect(parsed.flags, "the window flags").toEqual({ from: 0, to: 921.5, events: 50 });
  });

  test.for(["-1", "soon", "", "Infinity"])("--from %s is refused", (value) => {
    expect(() => parseArguments(["--from", value], spec, "trace"), `--from "${value}"`).toThrow(
      new UsageError(`Expected --from to be milliseconds >= 0, got "${value}".`),
    );
  });

  test("--events is a whole number of events, at least one", () => {
    expect(() => parseArguments(["--events", "0"], spec, "trace"), "--events 0").toThrow(
      UsageError,
    );
  });
});
