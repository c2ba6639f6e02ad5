import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { repositoryRoot } from "./catalog.js";
import { loadMutants } from "./mutants.js";

let roots: string[] = [];
afterEach(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
  roots = [];
});

/** A workbook root with the given `solutions/<chapter>/mutants/<file>` contents. */
function rootWith(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "workbook-mutants-"));
  roots.push(root);
  mkdirSync(join(root, "solutions"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, "solutions", path, ".."), { recursive: true });
    writeFileSync(join(root, "solutions", path), text);
  }
  return root;
}

const declaration = (mistake: string) =>
  `const changes: Array<{ find: string; replace: string }> = [{ find: "a", replace: "b" }];\n` +
  `export default { mistake: ${JSON.stringify(mistake)}, file: "x.ts", changes, caughtBy: { exercise: "x", test: "t" } };\n`;

describe("mutants are loaded from their TypeScript files", () => {
  test("every mutant, in chapter then file order, with its name, file and definition", async () => {
    const root = rootWith({
      "02-b/mutants/zeta.ts": declaration("z"),
      "01-a/mutants/beta.ts": declaration("b"),
      "01-a/mutants/alpha.ts": declaration("a"),
      "01-a/mutants/README.md": "not a mutant",
      "03-c/solution.ts": "export {};",
    });
    const loaded = await loadMutants(root);
    expect(
      loaded.map(({ name, file, chapterFolder, mutant }) => [
        name,
        file,
        chapterFolder,
        mutant.mistake,
      ]),
    ).toEqual([
      ["01-a/alpha", "solutions/01-a/mutants/alpha.ts", "01-a", "a"],
      ["01-a/beta", "solutions/01-a/mutants/beta.ts", "01-a", "b"],
      ["02-b/zeta", "solutions/02-b/mutants/zeta.ts", "02-b", "z"],
    ]);
    expect(loaded[0]!.mutant.changes, "the definition, types stripped").toEqual([
      { find: "a", replace: "b" },
    ]);
  });

  test("a file with no default export is named in the error", async () => {
    const root = rootWith({ "01-a/mutants/bare.ts": "export const x = 1;\n" });
    await expect(loadMutants(root)).rejects.toThrow(
      "solutions/01-a/mutants/bare.ts has no default export",
    );
  });

  test("a file that does not compile is named in the error, with its line", async () => {
    const root = rootWith({ "01-a/mutants/broken.ts": "export default {\n  mistake: ,\n};\n" });
    await expect(loadMutants(root)).rejects.toThrow(/broken\.ts:2: /);
  });

  test("a workbook with no mutants has none", async () => {
    expect(await loadMutants(rootWith({ "01-a/solution.ts": "export {};" }))).toEqual([]);
  });

  test("the workbook's own: one for every file in solutions/*/mutants", async () => {
    const onDisk = readdirSync(join(repositoryRoot, "solutions")).flatMap((chapter) => {
      try {
        return readdirSync(join(repositoryRoot, "solutions", chapter, "mutants"))
          .filter((file) => file.endsWith(".ts"))
          .map((file) => `solutions/${chapter}/mutants/${file}`);
      } catch {
        return [];
      }
    });
    const loaded = await loadMutants();
    expect(loaded.map((entry) => entry.file).sort()).toEqual(onDisk.sort());
    for (const entry of loaded)
      expect(entry.mutant.caughtBy.test, `${entry.name} names the test that catches it`).not.toBe(
        "",
      );
  });
});
