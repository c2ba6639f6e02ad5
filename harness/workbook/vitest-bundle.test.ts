import { execFile } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { repositoryRoot } from "./catalog.js";
import {
  buildVitestBundle,
  bundleIsCurrent,
  loadVitest,
  loadVitestBundle,
  vitestBundleFolder,
} from "./vitest-bundle.js";

// The CLI loads vitest's Node API from a bundle of it, run with V8's code cache (see
// vitest-bundle.ts). These tests build one in a scratch folder, never touching the CLI's own.
const scratch = mkdtempSync(join(tmpdir(), "workbook-vitest-bundle-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const bundleFiles = ["vitest-node.cjs", "vitest-node.json"];
const built = join(scratch, "built");

/** A folder of its own holding the bundle built for these tests, `change`d if asked. */
function copyOfBundle(name: string, change?: (file: string, text: string) => string): string {
  const folder = join(scratch, name);
  mkdirSync(folder, { recursive: true });
  for (const file of bundleFiles) {
    const text = readFileSync(join(built, file), "utf8");
    writeFileSync(join(folder, file), change === undefined ? text : change(file, text));
  }
  return folder;
}

/** Runs `body` with WORKBOOK_VITEST_BUNDLE set to `value`. */
async function withBundleSetting<T>(value: string, body: () => Promise<T>): Promise<T> {
  const previous = process.env["WORKBOOK_VITEST_BUNDLE"];
  process.env["WORKBOOK_VITEST_BUNDLE"] = value;
  try {
    return await body();
  } finally {
    if (previous === undefined) delete process.env["WORKBOOK_VITEST_BUNDLE"];
    else process.env["WORKBOOK_VITEST_BUNDLE"] = previous;
  }
}

describe("vitest's Node API, bundled", () => {
  beforeAll(() => buildVitestBundle(repositoryRoot, built), 60_000);

  test("the bundle exports what vitest/node exports, and loads from V8's cache the next time", async () => {
    const folder = copyOfBundle("cache");
    const first = loadVitestBundle(folder);
    expect(first?.from, "the first load, with no cache yet").toBe("bundle, compiled anew");
    const own = await import("vitest/node");
    expect(Object.keys(first!.api).sort(), "what the bundle exports").toEqual(
      Object.keys(own).sort(),
    );
    expect(typeof first!.api.createVitest, "createVitest").toBe("function");
    first!.afterRun();
    const second = loadVitestBundle(folder);
    expect(second?.from, "the second load, after the first wrote the cache").toBe("bundle");
  });

  test("a bundle is stale once a file that went into it has changed", () => {
    expect(bundleIsCurrent(copyOfBundle("current")), "the bundle as built").toBe(true);
    const stale = copyOfBundle("stale", (file, text) => {
      if (file !== "vitest-node.json") return text;
      const manifest = JSON.parse(text) as { inputs: Record<string, string> };
      const [first] = Object.keys(manifest.inputs);
      manifest.inputs[first!] = "0:0";
      return JSON.stringify(manifest);
    });
    expect(bundleIsCurrent(stale), "a bundle with an input changed since").toBe(false);
    expect(loadVitestBundle(stale), "what loading it gives").toBeUndefined();
    expect(bundleIsCurrent(join(scratch, "nothing-here")), "no bundle at all").toBe(false);
    const unreadable = copyOfBundle("unreadable", (file, text) =>
      file === "vitest-node.json" ? text.slice(0, 20) : text,
    );
    expect(bundleIsCurrent(unreadable), "a bundle whose manifest is cut short").toBe(false);
  });

  test("with no current bundle, vitest loads as usual and the bundle is built after the run", async () => {
    let builds = 0;
    const folder = join(scratch, "none");
    const loaded = await loadVitest(repositoryRoot, folder, () => builds++);
    expect(loaded.from, "where vitest came from").toBe("vitest's own files");
    expect(builds, "builds started before the run is over").toBe(0);
    const marker = join(folder, "running", String(process.pid));
    expect(existsSync(marker), "this process marked as running, for a builder to wait on").toBe(
      true,
    );
    loaded.afterRun();
    loaded.afterRun();
    expect(builds, "builds started after the run, however often it is said to be over").toBe(1);
    expect(existsSync(marker), "the mark, after the run").toBe(false);
  });

  test("a bundle that fails to load is not used, nor built again the same", async () => {
    const broken = copyOfBundle("broken", (file, text) =>
      file === "vitest-node.cjs" ? `${text}\nthrow new Error("broken");` : text,
    );
    let builds = 0;
    const loaded = await loadVitest(repositoryRoot, broken, () => builds++);
    expect(loaded.from, "where vitest came from").toBe("vitest's own files");
    loaded.afterRun();
    expect(builds, "builds started").toBe(0);
  });

  test("WORKBOOK_VITEST_BUNDLE=off imports vitest as usual, even with a bundle there", async () => {
    const folder = copyOfBundle("off");
    let builds = 0;
    const loaded = await withBundleSetting("off", () =>
      loadVitest(repositoryRoot, folder, () => builds++),
    );
    expect(loaded.from, "where vitest came from").toBe("vitest's own files");
    loaded.afterRun();
    expect(builds, "builds started").toBe(0);
    const used = await withBundleSetting("", () => loadVitest(repositoryRoot, folder));
    expect(used.from, "where it comes from without the setting").toBe("bundle, compiled anew");
  });

  test("WORKBOOK_VITEST_BUNDLE set to a folder keeps the bundle there", async () => {
    const folder = copyOfBundle("elsewhere");
    const loaded = await withBundleSetting(folder, () => loadVitest(repositoryRoot));
    expect(loaded.from, "where vitest came from").toBe("bundle, compiled anew");
    loaded.afterRun();
    const cached = readdirSync(folder).filter((file) => file.endsWith(".v8cache"));
    expect(cached, "V8's cache, written in that folder").toHaveLength(1);
  });

  test("a workbook command runs its tests through the bundle", async () => {
    // The CLI's own bundle, as a command that found none would have built it.
    const folder = vitestBundleFolder(repositoryRoot);
    if (!bundleIsCurrent(folder)) await buildVitestBundle(repositoryRoot, folder);
    const timing = join(scratch, "timing.json");
    const run = await promisify(execFile)(
      process.execPath,
      ["harness/start.mjs", "harness/cli/main.ts", "test", "1.1", "--solutions"],
      { cwd: repositoryRoot, env: { ...process.env, WORKBOOK_TIMING_OUT: timing, NO_COLOR: "1" } },
    );
    expect(run.stdout, "what the command printed").toMatch(/✔ 1\.1 .*: \d+ of \d+ tests pass/);
    const { vitestFrom } = JSON.parse(readFileSync(timing, "utf8")) as { vitestFrom: string };
    expect(vitestFrom, "where the command's vitest came from").toMatch(/^bundle/);
  }, 60_000);

  test("a builder waits until no command has been running for a while", async () => {
    const folder = join(scratch, "waiting");
    // A command running tests: this process, marked as one (a dead one's mark is ignored).
    mkdirSync(join(folder, "running"), { recursive: true });
    writeFileSync(join(folder, "running", String(process.pid)), "");
    writeFileSync(join(folder, "running", "999999999"), "");
    const started = performance.now();
    const builder = promisify(execFile)(
      process.execPath,
      ["harness/start.mjs", "harness/workbook/build-vitest-bundle.ts", folder, "200"],
      { cwd: repositoryRoot },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(bundleIsCurrent(folder), "the bundle while the command runs").toBe(false);
    rmSync(join(folder, "running", String(process.pid)));
    const { stdout } = await builder;
    expect(stdout.trim(), "what the builder said").toBe("built");
    expect(bundleIsCurrent(folder), "the bundle once the command is over").toBe(true);
    expect(performance.now() - started, "milliseconds until it was built").toBeGreaterThan(1_500);
    expect(existsSync(join(folder, "running", "999999999")), "a dead process's mark").toBe(false);
  }, 60_000);

  test("the bundle is kept in the node_modules vitest is installed in", () => {
    expect(vitestBundleFolder(repositoryRoot), "its folder").toBe(
      join(repositoryRoot, "node_modules", ".cache", "workbook", "vitest-bundle"),
    );
  });

  test("builders started together: one builds, the others end, and the lock is let go", async () => {
    const folder = join(scratch, "together");
    const run = promisify(execFile);
    const builder = () =>
      run(
        process.execPath,
        ["harness/start.mjs", "harness/workbook/build-vitest-bundle.ts", folder, "0"],
        { cwd: repositoryRoot },
      );
    const said = (await Promise.all([builder(), builder(), builder()])).map(({ stdout }) =>
      stdout.trim(),
    );
    expect(
      said.filter((line) => line === "built"),
      `what the three builders said: ${said.join("; ")}`,
    ).toHaveLength(1);
    expect(bundleIsCurrent(folder), "the bundle they left").toBe(true);
    expect(existsSync(join(folder, "building.lock")), "the lock, after them").toBe(false);
  }, 60_000);
});
