import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";

/**
 * The files `file` imports by a relative path, read from its text: every `from "./…"`,
 * `import "./…"` and `import("./…")`, type-only ones and ones in comments too, since whoever
 * asks wants every file a change could come through. A `.js` written for a `.ts` file is the
 * `.ts` file when that exists.
 */
export function relativeImports(file: string): string[] {
  const source = readFileSync(file, "utf8");
  const found: string[] = [];
  for (const match of source.matchAll(/(?:from|import)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = resolve(dirname(file), match[1]!);
    const typescript = target.replace(/\.([mc]?)js$/, ".$1ts");
    found.push(existsSync(typescript) ? typescript : target);
  }
  return found;
}
