import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { findChromium, launchChromium } from "./browser.js";
import { renderViewerPage } from "./page.js";
import { sampleRun, type SampleRun } from "./sample-runs.js";
import { buildViewModel } from "./view-model.js";

/**
 * The viewer in a real browser: the page a learner opens, loaded from disk, clicked and read
 * back. Where no Chromium is installed these tests are skipped, and their names say why, so
 * that `npm test` counts them as skipped and never as passed.
 */
const chromium = findChromium();
const skipReason = "missing" in chromium ? ` (skipped: ${chromium.missing})` : "";

describe.skipIf("missing" in chromium)(`the space-time viewer in Chromium${skipReason}`, () => {
  let browser: Browser;
  const folder = mkdtempSync(join(tmpdir(), "workbook-viewer-"));

  beforeAll(async () => {
    browser = await launchChromium((chromium as { path: string }).path);
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  /** Writes the run's page to disk, opens it from file:// and collects its console errors. */
  async function open(run: SampleRun, name: string): Promise<{ page: Page; errors: string[] }> {
    const model = buildViewModel({
      title: "ping under faults",
      seed: 7,
      test: "a sample run",
      runs: [run.document],
      ...(run.failure === undefined ? {} : { failure: run.failure }),
    });
    const path = join(folder, `${name}.html`);
    writeFileSync(path, await renderViewerPage(model));
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    page.on("pageerror", (error) => errors.push(String(error)));
    page.on("request", (request) => {
      if (!request.url().startsWith("file:") && !request.url().startsWith("data:"))
        errors.push(`the page reached for the network: ${request.url()}`);
    });
    await page.goto(pathToFileURL(path).href);
    await page.waitForSelector("g.lane");
    return { page, errors };
  }

  test("the page loads from file:// with no console errors and no network", async () => {
    const { page, errors } = await open(sampleRun(), "loads");
    expect(errors, "console errors and network requests of the page").toEqual([]);
    await page.close();
  });

  test("every node has a lane, and every delivery is one arrow", async () => {
    const run = sampleRun();
    const { page } = await open(run, "arrows");
    const deliveries = run.document.events.filter((event) => event.kind === "deliver").length;
    const drawn = await page.evaluate(() => ({
      lanes: Array.from(document.querySelectorAll("g.lane")).map((lane) =>
        lane.getAttribute("data-node"),
      ),
      arrows: document.querySelectorAll("line.arrow.delivered").length,
      duplicates: document.querySelectorAll("line.arrow.duplicate").length,
    }));
    expect(drawn.lanes, "the lanes, top to bottom").toEqual(["n1", "n2", "n3", "n4"]);
    expect(drawn.arrows, `arrows drawn for the run's ${deliveries} deliveries`).toBe(deliveries);
    expect(
      drawn.duplicates,
      "the run duplicates some messages: they are drawn as such",
    ).toBeGreaterThan(0);
    await page.close();
  });

  test("a partition band covers exactly the time the partition held; a one-way cut is drawn on the deaf lane", async () => {
    const run = sampleRun();
    const { page } = await open(run, "bands");
    const bands = await page.evaluate(() =>
      Array.from(document.querySelectorAll("rect.partition-band")).map((band) => ({
        between: band.getAttribute("data-between"),
        left: Number(band.getAttribute("x")),
        right: Number(band.getAttribute("x")) + Number(band.getAttribute("width")),
        expectedLeft: window.viewer.x(Number(band.getAttribute("data-from-ms"))),
        expectedRight: window.viewer.x(Number(band.getAttribute("data-to-ms"))),
        fromMs: Number(band.getAttribute("data-from-ms")),
        toMs: Number(band.getAttribute("data-to-ms")),
      })),
    );
    expect(
      bands.map((band) => `${band.between} ${band.fromMs}–${band.toMs}`),
      "n1 n2 | n3 n4 separates the lanes of n2 and n3, from the partition to the heal",
    ).toEqual([
      `n2 n3 ${run.partition.fromMs}–${run.partition.toMs}`,
      `n1 → n3 ${run.cutFromMs}–${run.document.events.at(-1)!.timeMs}`,
    ]);
    const left = await page.evaluate((ms) => window.viewer.x(ms), run.partition.fromMs);
    const right = await page.evaluate((ms) => window.viewer.x(ms), run.partition.toMs);
    expect(bands[0]!.left, "the band's left edge, in px").toBeCloseTo(left, 1);
    expect(bands[0]!.right, "the band's right edge, in px").toBeCloseTo(right, 1);
    await page.close();
  });

  test("clicking an arrow shows its event (time, sender, receiver, the message as JSON) and every node's state then", async () => {
    const run = sampleRun();
    const { page } = await open(run, "click");
    // A one-pixel line is hard to hit with a synthetic pointer; the click itself is what counts.
    await page.locator("line.arrow.delivered").first().dispatchEvent("click");
    const text = await page.locator("#details").innerText();
    const clicked = await page.evaluate(() => {
      const run = window.viewer.run();
      const message = run.messages.find((candidate) => candidate.outcome === "delivered")!;
      return run.events[message.end!]!;
    });
    expect(clicked.kind, "the first arrow's event").toBe("deliver");
    expect(text, "the details panel").toContain(`deliver · ${clicked.timeMs} ms`);
    expect(text, "the details panel").toContain(`from\n${clicked.from}`);
    expect(text, "the details panel").toContain(`to\n${clicked.node}`);
    const type = (JSON.parse(clicked.message!) as { type: string }).type;
    expect(text, "the message, pretty-printed").toContain(`"type": "${type}"`);
    // Each node's state at that instant: pingsSent is the number of pings it had sent by then,
    // counted from the trace itself.
    const sent = new Map<string, number>(["n1", "n2", "n3", "n4"].map((node) => [node, 0]));
    for (const event of run.document.events)
      if (event.kind === "send" && event.step <= clicked.step && event.message?.includes('"ping"'))
        sent.set(event.from!, sent.get(event.from!)! + 1);
    const expected = [...sent.entries()].sort();
    expect(
      expected.some(([, count]) => count > 0),
      "some pings were sent by the clicked event",
    ).toBe(true);
    const table = await page.evaluate(() => {
      const rows = Array.from(document.querySelectorAll("#details table.states tr"));
      const nodes = Array.from(rows[0]!.querySelectorAll("th"))
        .slice(1)
        .map((cell) => cell.textContent);
      const row = rows.find(
        (candidate) => candidate.querySelector("th")?.textContent === "pingsSent",
      )!;
      const values = Array.from(row.querySelectorAll("td")).map((cell) => Number(cell.textContent));
      return nodes.map((node, index) => [node, values[index]]).sort();
    });
    expect(table, "the state table: pingsSent per node").toEqual(expected);
    await page.close();
  });

  test("a failing run is marked failed, and the failure button jumps to the event it happened at", async () => {
    const run = sampleRun({ failing: true });
    expect(run.failure, "the sample's invariant breaks").toBeDefined();
    const { page, errors } = await open(run, "failure");
    expect(errors).toEqual([]);
    expect(await page.locator(".verdict").innerText()).toBe("failed");
    expect(await page.locator("#failure-banner").isVisible(), "the failure banner").toBe(true);
    expect(await page.locator("#failure-banner").innerText()).toContain("fewer than 30 pongs");
    await page.locator("button.failure").click();
    const text = await page.locator("#details").innerText();
    expect(text, "the details of the failing event").toContain("the test failed here");
    const marker = await page.evaluate(() => {
      const line = document.querySelector("line.failure-marker");
      return line === null ? undefined : Number(line.getAttribute("x1"));
    });
    const failedAt = await page.evaluate(() => window.viewer.run().failure!.timeMs);
    expect(marker, "the failure marker's x").toBeCloseTo(
      await page.evaluate((ms) => window.viewer.x(ms), failedAt),
      1,
    );
    await page.close();
  });

  test("filtering out a node removes its lane and every arrow to or from it", async () => {
    const { page } = await open(sampleRun(), "filter");
    await page.locator('#filters input[data-node="n4"]').uncheck();
    const lanes = await page.evaluate(() =>
      Array.from(document.querySelectorAll("g.lane")).map((lane) => lane.getAttribute("data-node")),
    );
    expect(lanes).toEqual(["n1", "n2", "n3"]);
    const touching = await page.evaluate(
      () =>
        window.viewer
          .run()
          .messages.filter((message) => message.from === "n4" || message.to === "n4").length,
    );
    expect(touching, "n4 sent and received messages in the run").toBeGreaterThan(0);
    const drawnTouching = await page.evaluate(
      () =>
        document.querySelectorAll('line.arrow[data-from="n4"], line.arrow[data-to="n4"]').length,
    );
    expect(drawnTouching, "arrows still drawn to or from n4").toBe(0);
    await page.close();
  });
});
