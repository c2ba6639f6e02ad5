import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import module from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { typeCheck } from "./type-errors.js";

describe("the type check of the learner's files", () => {
  const root = mkdtempSync(join(tmpdir(), "workbook-types-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  writeFileSync(
    join(root, "tsconfig.json"),
    // No standard library to parse: the check stays as quick as a check can be.
    JSON.stringify({ compilerOptions: { strict: true, noLib: true, types: [] } }),
  );
  const file = join(root, "clock.ts");
  writeFileSync(file, 'export const time: number = 0;\nexport const label: number = "a";\n');
  const check = () => typeCheck(root, [file], join(root, ".workbook", "types.tsbuildinfo"));
  // Node 22.1 and later keep compiled code themselves; on Node 20 the worker keeps TypeScript's.
  const keepsItsOwn =
    typeof (module as { enableCompileCache?: unknown }).enableCompileCache !== "function";

  test("names each error by file, line and column, and still does when its code cache is refused", async () => {
    const errors = ["clock.ts:2:14: Type 'string' is not assignable to type 'number'."];
    expect(await check(), "the first check").toEqual(errors);
    if (!keepsItsOwn) return;
    const folder = join(root, "node_modules", ".cache", "workbook");
    const caches = readdirSync(folder).filter((name) => name.endsWith(".codecache"));
    expect(caches, "TypeScript's compiled code, kept").toHaveLength(1);
    const cache = join(folder, caches[0]!);
    writeFileSync(cache, "not a code cache");
    expect(await check(), "the check with a cache V8 refuses").toEqual(errors);
    expect(readFileSync(cache).length, "the refused cache, replaced").toBeGreaterThan(1_000_000);
  });
});
