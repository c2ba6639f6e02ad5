import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
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

/** The entry points that have a bundle in the launch cache. */
function bundledEntries(): string[] {
  const folder = join(repositoryRoot, "node_modules", ".cache", "workbook", "launch");
  return readdirSync(folder)
    .filter((file) => file.endsWith(".json"))
    .map(
      (file) => (JSON.parse(readFileSync(join(folder, file), "utf8")) as { entry: string }).entry,
    );
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

  test("import.meta.url in a string or a comment stays as written; stack frames name the file", () => {
    const quoting = join(scratch, "quoting.ts");
    writeFileSync(
      quoting,
      [
        `// import.meta.url, in a comment`,
        `const text: string = "import.meta.url";`,
        `const object = { "import.meta.url": 1 };`,
        `const frame = /\\((.*quoting\\.ts):(\\d+)/.exec(new Error().stack ?? "");`,
        `const [file, line] = [frame?.[1], Number(frame?.[2])];`,
        `console.log(JSON.stringify({ text, keys: Object.keys(object), url: import.meta.url, file, line }));`,
      ].join("\n"),
    );
    const printed = JSON.parse(start(quoting)) as Record<string, unknown>;
    expect(printed, "what the entry printed").toEqual({
      text: "import.meta.url",
      keys: ["import.meta.url"],
      url: pathToFileURL(quoting).href,
      file: quoting,
      line: 4,
    });
    // Were esbuild unable to bundle it, start.mjs would run it through tsx, and print the same.
    expect(bundledEntries(), "the entry points bundled").toContain(quoting);
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
