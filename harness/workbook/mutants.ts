import { readdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repositoryRoot } from "./catalog.js";
import type { Mutant } from "./mutant.js";

/** A mutant found on disk, with where it lives. */
export interface MutantEntry {
  /** "01-clocks/receive-without-max": the chapter folder and the file's name. */
  name: string;
  chapterFolder: string;
  /** The mutant's own file, relative to the root: "solutions/01-clocks/mutants/receive-without-max.ts". */
  file: string;
  mutant: Mutant;
}

/** Every `solutions/<chapter>/mutants/*.ts`, loaded and sorted by name. */
export async function loadMutants(root = repositoryRoot): Promise<MutantEntry[]> {
  // One TypeScript loader for every file: registering one per file (tsImport) costs tens of
  // milliseconds each, seconds once there are a couple of hundred mutants.
  // tsx is imported here, not at the top: the CLI's other commands never load it.
  const { register } = await import("tsx/esm/api");
  const loader = register({ namespace: `workbook-mutants-${process.pid}-${++loads}` });
  try {
    return await loadAll(root, loader.import);
  } finally {
    await loader.unregister();
  }
}

let loads = 0;

async function loadAll(
  root: string,
  load: (specifier: string, parent: string) => Promise<unknown>,
): Promise<MutantEntry[]> {
  const entries: MutantEntry[] = [];
  const solutions = join(root, "solutions");
  for (const chapterFolder of readdirSync(solutions).sort()) {
    const folder = join(solutions, chapterFolder, "mutants");
    let files: string[];
    try {
      files = readdirSync(folder)
        .filter((file) => file.endsWith(".ts"))
        .sort();
    } catch {
      continue;
    }
    for (const file of files) {
      const module = (await load(pathToFileURL(join(folder, file)).href, import.meta.url)) as {
        default?: Mutant;
      };
      if (module.default === undefined)
        throw new Error(
          `${folder}/${file} has no default export; use export default mutant({...})`,
        );
      entries.push({
        name: `${chapterFolder}/${file.replace(/\.ts$/, "")}`,
        chapterFolder,
        file: `solutions/${chapterFolder}/mutants/${file}`,
        mutant: module.default,
      });
    }
  }
  return entries;
}
