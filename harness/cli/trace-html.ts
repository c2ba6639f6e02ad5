import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { TraceDocument } from "../simulation/trace.js";
import { renderViewerPage } from "../viewer/page.js";
import { buildViewModel } from "../viewer/view-model.js";
import { repositoryRoot, type Exercise } from "../workbook/catalog.js";
import { UsageError } from "./selection.js";

/** Every page the viewer writes says so, so a later run knows it may write over it. */
const generatorMark = '<meta name="generator" content="workbook trace --html">';

/**
 * `trace --html`: the recorded run as one self-contained page. It goes to `--out`, or to
 * `.workbook/traces/<exercise>.seed-<N>.html`, the ignored folder where the workbook keeps
 * what it generates. A file at `--out` that the viewer did not write is never replaced.
 */
export async function writeTraceHtml(
  exercise: Exercise,
  options: { seed: number; out?: string },
  recorded: { test: string; runs: TraceDocument[] },
  failure: string | undefined,
): Promise<string> {
  const path =
    options.out === undefined
      ? join(repositoryRoot, ".workbook", "traces", `${exercise.id}.seed-${options.seed}.html`)
      : resolve(process.env["INIT_CWD"] ?? process.cwd(), options.out);
  const inside = relative(repositoryRoot, path).split("\\").join("/");
  const folder = ["chapters/", "solutions/", "harness/"].find((prefix) =>
    inside.startsWith(prefix),
  );
  if (folder !== undefined)
    throw new UsageError(
      `--out ${inside} is inside ${folder}, among the workbook's own files: write the page elsewhere, such as --out traces/run.html.`,
    );
  if (!path.endsWith(".html"))
    throw new UsageError(`--out ${options.out} must end in .html with --html: the page is HTML.`);
  if (existsSync(path) && !readFileSync(path, "utf8").includes(generatorMark))
    throw new UsageError(
      `${path} exists and was not written by the viewer: choose another --out, so that nothing of yours is overwritten.`,
    );
  const model = buildViewModel({
    title: `${exercise.number} ${exercise.title}`,
    seed: options.seed,
    test: recorded.test,
    runs: recorded.runs,
    ...(failure === undefined ? {} : { failure }),
  });
  const page = (await renderViewerPage(model)).replace("<head>\n", `<head>\n${generatorMark}\n`);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, page);
  return path;
}
