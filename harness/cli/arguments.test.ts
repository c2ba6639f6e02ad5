import { describe, expect, test } from "vitest";
import { parseArguments } from "./arguments.js";
import { UsageError } from "./selection.js";

const spec = { solutions: "boolean", seed: "number", test: "string" } as const;

describe("the command-line parser", () => {
  test("separates positionals from flags, in either order", () => {
    const parsed = parseArguments(["--seed", "7", "1.2", "--solutions"], spec, "test");
    expect(parsed.positionals, "positionals").toEqual(["1.2"]);
    expect(parsed.flags, "flags").toEqual({ seed: 7, solutions: true });
  });

  test("accepts --name=value and keeps spaces in a string value", () => {
    const parsed = parseArguments(["--test=a leader is elected", "--seed=3"], spec, "test");
    expect(parsed.flags, "flags given with =").toEqual({ test: "a leader is elected", seed: 3 });
  });

  test("an unknown flag is an error that suggests the closest and lists the known ones", () => {
    expect(() => parseArguments(["--sed", "3"], spec, "test"), "a misspelt flag").toThrow(
      new UsageError(
        `"test" has no flag --sed. Did you mean "--seed"? Its flags: --solutions, --seed, --test.`,
      ),
    );
    expect(() => parseArguments(["--colour"], spec, "test"), "a flag like none").toThrow(
      new UsageError(`"test" has no flag --colour. Its flags: --solutions, --seed, --test.`),
    );
  });

  test.for(["0", "-1", "2.5", "seven"])(
    "--seed %s is refused: seeds are whole numbers >= 1",
    (value) => {
      expect(() => parseArguments(["--seed", value], spec, "test"), `--seed ${value}`).toThrow(
        UsageError,
      );
    },
  );

  test("a flag that needs a value and gets none is an error, not the next flag swallowed", () => {
    expect(() => parseArguments(["--seed"], spec, "test"), "--seed at the end").toThrow(
      /needs a value/,
    );
    expect(
      () => parseArguments(["--test", "--solutions"], spec, "test"),
      "--test followed by a flag",
    ).toThrow(/needs a value/);
  });
});
