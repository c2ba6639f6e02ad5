import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { findChromium, launchChromium } from "./browser.js";
import { renderViewerPage } from "./page.js";
import { largeRun } from "./sample-runs.js";
import { buildViewModel } from "./view-model.js";

/**
 * The viewer on a 100,000-event run, for `npm run bench`: how long writing the page takes, how
 * long the browser takes to open and draw it, and how long one redraw takes when zoomed in and
 * when showing the whole run. Rows name why they are missing where no Chromium is installed.
 */
export async function viewerBenchRows(eventsTarget = 100_000): Promise<Array<[string, string]>> {
  const document = largeRun(eventsTarget);
  const started = performance.now();
  const model = buildViewModel({ title: "large run", seed: 1, test: "bench", runs: [document] });
  const page = await renderViewerPage(model);
  const writeMs = performance.now() - started;
  const rows: Array<[string, string]> = [
    [
      `viewer: a run of ${document.events.length.toLocaleString("en")} events, page written`,
      `${Math.round(writeMs)} ms, ${(page.length / 1e6).toFixed(1)} MB`,
    ],
  ];
  const chromium = findChromium();
  if ("missing" in chromium) {
    rows.push(["  opened in Chromium", `skipped: ${chromium.missing}`]);
    return rows;
  }
  const path = join(mkdtempSync(join(tmpdir(), "workbook-viewer-bench-")), "large.html");
  writeFileSync(path, page);
  const browser = await launchChromium(chromium.path);
  try {
    const tab = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const opened = performance.now();
    await tab.goto(pathToFileURL(path).href);
    await tab.waitForSelector("g.lane");
    const openMs = performance.now() - opened;
    const redraws = await tab.evaluate(async () => {
      const run = window.viewer.run();
      const span = run.endMs - run.startMs;
      // No named helpers here: tsx would wrap them in a __name call the page does not have.
      const zoomed: number[] = [];
      // Pan a 1 %-wide window across the run, as a learner scrubbing through it would.
      for (let step = 0; step < 20; step++) {
        const from = run.startMs + (span * step) / 20;
        window.viewer.zoomTo(from, from + span / 100);
        await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
        zoomed.push(window.viewer.lastDraw.durationMs);
      }
      window.viewer.zoomTo(run.startMs, run.endMs);
      await new Promise<void>((resolve) => requestAnimationFrame(() => resolve()));
      const whole = window.viewer.lastDraw.durationMs;
      zoomed.sort((a, b) => a - b);
      return { zoomedMedian: zoomed[10]!, zoomedMax: zoomed.at(-1)!, whole };
    });
    rows.push(["  opened and drawn in Chromium (file://)", `${Math.round(openMs)} ms`]);
    rows.push([
      "  one redraw, panning a 1 % window (median / max)",
      `${redraws.zoomedMedian.toFixed(1)} / ${redraws.zoomedMax.toFixed(1)} ms`,
    ]);
    rows.push(["  one redraw of the whole run", `${redraws.whole.toFixed(1)} ms`]);
  } finally {
    await browser.close();
    rmSync(dirname(path), { recursive: true, force: true });
  }
  return rows;
}
