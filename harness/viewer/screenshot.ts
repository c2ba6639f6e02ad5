import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repositoryRoot } from "../workbook/catalog.js";
import { findChromium, launchChromium } from "./browser.js";

/**
 * Makes the README's picture of the viewer from a real run: exercise 2.2's reference solution,
 * seed 3, written by `workbook trace --html` and photographed in headless Chromium with one
 * message selected. Run it again after changing the page:
 *
 *     npx tsx harness/viewer/screenshot.ts
 */
const chromium = findChromium();
if ("missing" in chromium) throw new Error(`Cannot take the screenshot: ${chromium.missing}`);
const page = join(mkdtempSync(join(tmpdir(), "workbook-screenshot-")), "raft-election.html");
const traced = spawnSync(
  process.execPath,
  [
    join(repositoryRoot, "node_modules", "tsx", "dist", "cli.mjs"),
    join(repositoryRoot, "harness", "cli", "main.ts"),
    ...["trace", "2.2", "--seed", "3", "--solutions", "--html", "--out", page],
  ],
  { cwd: repositoryRoot, stdio: "inherit" },
);
if (traced.status !== 0) throw new Error(`trace --html exited with ${traced.status}`);

const browser = await launchChromium(chromium.path);
try {
  const tab = await browser.newPage({ viewport: { width: 1280, height: 560 } });
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForSelector("g.lane");
  // Zoom to the first election and select the vote that won it, as a learner would.
  await tab.evaluate(() => window.viewer.zoomTo(150, 420));
  await tab
    .locator("line.arrow.delivered[data-type=RequestVoteReply]")
    .first()
    .dispatchEvent("click");
  const out = join(repositoryRoot, "harness", "viewer", "screenshot.png");
  await tab.screenshot({ path: out });
  process.stdout.write(`${out}\n`);
} finally {
  await browser.close();
}
