import { describe, expect, test } from "vitest";
import { commandHelp, findCommand, main, overview } from "./main.js";
import { UsageError } from "./selection.js";

const names = ["status", "test", "hint", "trace", "compare", "reset", "mutants", "mutant", "list"];

describe("help", () => {
  test("the overview lists every command with its flags", () => {
    const text = overview();
    for (const name of names) expect(text, `the overview names ${name}`).toMatch(`\n  ${name}`);
    expect(text, "a flag under its command").toContain("--seeds N");
    expect(text, "how to get help on one command").toContain("help <command>");
  });

  test.for(names)("help %s shows its usage and what it does", (name) => {
    const text = commandHelp(name);
    expect(text, `the help for ${name}`).toMatch(new RegExp(`^Usage: npm run workbook -- ${name}`));
  });

  test("a command's help lists its options and examples", () => {
    const text = commandHelp("test");
    expect(text, "the options").toContain("--seed N");
    expect(text, "an example").toContain("npm run workbook -- test 1.2");
  });

  test("<command> --help and help <command> print the command's help and succeed", async () => {
    const printed: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => printed.push(String(chunk)) > 0) as typeof write;
    try {
      expect(await main(["test", "--help"]), "the exit code of test --help").toBe(0);
      expect(await main(["help", "trace"]), "the exit code of help trace").toBe(0);
      expect(await main(["trace", "-h"]), "the exit code of trace -h").toBe(0);
    } finally {
      process.stdout.write = write;
    }
    expect(printed, "what they printed").toEqual([
      commandHelp("test"),
      commandHelp("trace"),
      commandHelp("trace"),
    ]);
  });

  test("an unknown command suggests the closest one", () => {
    expect(() => findCommand("lst"), "the command lst").toThrow(
      /There is no command "lst"\. Did you mean "list"\?/,
    );
    expect(() => findCommand("hnit"), "the command hnit").toThrow(/Did you mean "hint"\?/);
    expect(() => commandHelp("tset"), "help on a misspelt command").toThrow(UsageError);
    expect(() => findCommand("constructor"), "a name that only objects have").toThrow(
      /There is no command "constructor"/,
    );
  });

  test("an unknown flag suggests the closest flag", async () => {
    await expect(main(["test", "1.1", "--seeed", "3"]), "test --seeed").rejects.toThrow(
      /"test" has no flag --seeed\. Did you mean "--seed"\?/,
    );
  });
});
