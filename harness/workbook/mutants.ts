import { readdirSync } from "node:fs";
import { join } from "node:path";
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

/**
 * Every `solutions/<chapter>/mutants/*.ts`, loaded and sorted by name. The files are TypeScript,
 * which Node cannot load by itself: esbuild bundles them all, with what they import, into one
 * module in memory, in one call (about 50 ms for 277 mutants; a TypeScript loader took 0.9 s, and
 * `npm test` loads them twice, once for its checks and once in the vitest config). esbuild is
 * imported here, not at the top: the CLI's other commands never load it.
 */
export async function loadMutants(root = repositoryRoot): Promise<MutantEntry[]> {
  const found = mutantFiles(root);
  if (found.length === 0) return [];
  const esbuild = await import("esbuild");
  const source = found
    .map(({ path }, index) => `export { default as m${index} } from ${JSON.stringify(path)};`)
    .join("\n");
  let bundle: string;
  try {
    const result = await esbuild.build({
      stdin: { contents: source, resolveDir: root, loader: "ts", sourcefile: "mutants" },
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      packages: "external",
      write: false,
      logLevel: "silent",
    });
    bundle = result.outputFiles[0]!.text;
  } catch (error) {
    const errors = (
      error as { errors?: Array<{ text: string; location?: { file: string; line: number } }> }
    ).errors;
    if (errors === undefined) throw error;
    throw new Error(
      `The mutants could not be loaded:\n${errors
        .map(
          ({ text, location }) =>
            `  ${location === undefined ? "" : `${location.file}:${location.line}: `}${text}`,
        )
        .join("\n")}`,
    );
  }
  const modules = (await import(
    `data:text/javascript;base64,${Buffer.from(bundle).toString("base64")}`
  )) as Record<string, Mutant | undefined>;
  return found.map(({ chapterFolder, file }, index) => {
    const mutant = modules[`m${index}`];
    if (mutant === undefined)
      throw new Error(
        `solutions/${chapterFolder}/mutants/${file} has no default export; use export default mutant({...})`,
      );
    return {
      name: `${chapterFolder}/${file.replace(/\.ts$/, "")}`,
      chapterFolder,
      file: `solutions/${chapterFolder}/mutants/${file}`,
      mutant,
    };
  });
}

/** A mutant's file: its chapter folder, its name, and its absolute path. */
interface MutantFile {
  chapterFolder: string;
  file: string;
  path: string;
}

/** The mutant files on disk, in name order: chapter folder, then file. */
function mutantFiles(root: string): MutantFile[] {
  const found: MutantFile[] = [];
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
    for (const file of files) found.push({ chapterFolder, file, path: join(folder, file) });
  }
  return found;
}
