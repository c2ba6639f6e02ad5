import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, test } from "vitest";
import { repositoryRoot } from "./workbook/catalog.js";

// harness/start.mjs runs the workbook's TypeScript entry points from a bundle it keeps in
// node_modules/.cache: these tests run it on a throwaway entry, as npm's scripts do.
const scratch = mkdtempSync(join(tmpdir(), "workbook-start-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function start(entry: string, ...args: string[]): string {
  return execFileSync(process.execPath, ["harness/start.mjs", entry, ...args], {
    cwd: repositoryRoot,
    encoding: "utf8",
  });
}

describe("starting an entry point (harness/start.mjs)", () => {
  const entry = join(scratch, "entry.ts");
  const helper = join(scratch, "helper.ts");
  writeFileSync(
    entry,
    [
      `import { greeting, where } from "./helper.js";`,
      `const answer: string = greeting();`,
      `console.log(JSON.stringify({ answer, where, entry: import.meta.url, args: process.argv.slice(2) }));`,
    ].join("\n"),
  );
  writeFileSync(
    helper,
    `export const greeting = (): string => "one";\nexport const where = import.meta.url;\n`,
  );

  test("runs the TypeScript entry with its arguments, each module knowing its own file's URL", () => {
    const printed = JSON.parse(start(entry, "--flag", "value")) as Record<string, unknown>;
    expect(printed, "what the entry printed").toEqual({
      answer: "one",
      where: pathToFileURL(helper).href,
      entry: pathToFileURL(entry).href,
      args: ["--flag", "value"],
    });
  });

  test("a change to any file the entry imports is seen on the next start", () => {
    start(entry);
    writeFileSync(
      helper,
      `export const greeting = (): string => "two";\nexport const where = import.meta.url;\n`,
    );
    // A save within the same millisecond and of the same size still differs in its time here.
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later);
    const printed = JSON.parse(start(entry)) as { answer: string };
    expect(printed.answer, "the helper's new answer").toBe("two");
  });
});
