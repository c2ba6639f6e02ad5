import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Node module hooks for `workbook measure --solutions`: the same redirection the vitest
 * "solutions" project makes (harness/workbook/vitest-plugins.ts), for a measurement run outside
 * vitest. An import from a file in `chapters/` that lands on another file in `chapters/` goes to
 * its twin in `solutions/` when the twin exists; measure modules and test helpers have no twin,
 * so they stay where they are. Registered by run-measure.ts with `module.register`.
 */

interface HookData {
  chaptersFolder: string;
  solutionsFolder: string;
}

let folders: HookData | undefined;

export function initialize(data: HookData): void {
  folders = data;
}

type Resolved = { url: string; format?: string | null; shortCircuit?: boolean };

export async function resolve(
  specifier: string,
  context: { parentURL?: string },
  nextResolve: (specifier: string, context: unknown) => Promise<Resolved>,
): Promise<Resolved> {
  const resolved = await nextResolve(specifier, context);
  if (folders === undefined || context.parentURL === undefined || !specifier.startsWith("."))
    return resolved;
  if (!resolved.url.startsWith("file:") || !context.parentURL.startsWith("file:")) return resolved;
  const importer = fileURLToPath(context.parentURL);
  const target = fileURLToPath(resolved.url);
  if (!importer.startsWith(folders.chaptersFolder) || !target.startsWith(folders.chaptersFolder))
    return resolved;
  const twin = folders.solutionsFolder + target.slice(folders.chaptersFolder.length);
  return existsSync(twin) ? { ...resolved, url: pathToFileURL(twin).href } : resolved;
}
