import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ViewModel } from "./view-model.js";

/**
 * The viewer as one self-contained HTML file: its script (ours, with the parts of d3 it uses)
 * and its style are inlined, and the run travels inside as JSON, so the file opens from disk
 * with no network and can be mailed to whoever helps debug it.
 *
 * The script is bundled when a page is written, with esbuild (already installed as tsx's
 * compiler): about 50 ms, and nothing built to keep in the repository.
 */
export async function renderViewerPage(model: ViewModel): Promise<string> {
  const script = await bundledScript();
  const style = readFileSync(new URL("./client/viewer.css", import.meta.url), "utf8");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(model.title)} · seed ${model.seed}</title>
<style>${style}</style>
</head>
<body>
<main id="viewer">
  <header>
    <h1><span class="title"></span> <span class="verdict"></span></h1>
    <p class="subtitle"></p>
    <nav>
      <select class="runs" aria-label="run"></select>
      <button class="whole" title="show the whole run">whole run</button>
      <button class="previous" title="previous event of the selected node (←)">◀ event</button>
      <button class="next" title="next event of the selected node (→)">event ▶</button>
      <button class="failure" title="jump to the failure (f)">failure</button>
    </nav>
  </header>
  <div id="failure-banner" style="display: none"><strong>The test failed:</strong> <span class="text"></span> <button>show where</button></div>
  <section id="filters">
    <div class="nodes"><span class="label">nodes</span></div>
    <div class="types"><span class="label">messages</span></div>
  </section>
  <div class="body">
    <div class="chart"><svg class="timeline" role="img" aria-label="space-time diagram"></svg></div>
    <aside id="details"><p class="hint">Click an arrow, a mark or a band for its details. Scroll to zoom, drag to pan; ← and → step through the selected node's events.</p></aside>
  </div>
  <footer class="status"></footer>
</main>
<script type="application/json" id="trace-data">${jsonForScript(model)}</script>
<script>${script}</script>
</body>
</html>
`;
}

let cachedScript: Promise<string> | undefined;

function bundledScript(): Promise<string> {
  // esbuild is imported when a page is first written, so the CLI's other commands never load it.
  cachedScript ??= import("esbuild").then(async ({ build }) => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL("./client/viewer-app.ts", import.meta.url))],
      bundle: true,
      format: "iife",
      minify: true,
      write: false,
      target: "es2020",
      platform: "browser",
      legalComments: "inline",
    });
    return result.outputFiles[0]!.text;
  });
  return cachedScript;
}

/** JSON that cannot end the script element it sits in, whatever a message contains. */
function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (character) => `&#${character.charCodeAt(0)};`);
}
