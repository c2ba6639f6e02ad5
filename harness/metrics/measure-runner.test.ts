import { join, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, test } from "vitest";
import { repositoryRoot } from "../workbook/catalog.js";
import { formatTable } from "./format-table.js";
import { checkMeasurement } from "./measurement.js";
import { initialize, resolve } from "./solutions-hooks.js";

const chapters = join(repositoryRoot, "chapters") + sep;
const solutions = join(repositoryRoot, "solutions") + sep;
const url = (path: string): string => pathToFileURL(path).href;

describe("measure --solutions module hooks", () => {
  initialize({ chaptersFolder: chapters, solutionsFolder: solutions });
  const next = async (specifier: string, context: unknown) => {
    const parent = (context as { parentURL: string }).parentURL;
    return { url: new URL(specifier, parent).href };
  };

  test("an import from chapters/ of a learner file goes to its twin in solutions/", async () => {
    const importer = url(`${chapters}01-clocks/lamport-clock.test.ts`);
    const resolved = await resolve("./lamport-clock.ts", { parentURL: importer }, next);
    expect(resolved.url).toBe(url(`${solutions}01-clocks/lamport-clock.ts`));
  });

  test("a file without a twin, and imports from outside chapters/, stay where they are", async () => {
    const importer = url(`${chapters}01-clocks/lamport-clock.test.ts`);
    const helper = await resolve("./random-history.ts", { parentURL: importer }, next);
    expect(helper.url).toBe(url(`${chapters}01-clocks/random-history.ts`));
    const fromHarness = await resolve(
      "../chapters/01-clocks/lamport-clock.ts",
      { parentURL: url(`${repositoryRoot}/harness/x.ts`) },
      next,
    );
    expect(fromHarness.url).toBe(url(`${chapters}01-clocks/lamport-clock.ts`));
  });
});

describe("checkMeasurement", () => {
  const good = {
    summary: "s",
    tables: [{ title: "t", columns: ["a", "b"], rows: [[1, "x"]] }],
    charts: [
      { name: "p50-latency", title: "t", kind: "line", xLabel: "x", yLabel: "y", series: [] },
    ],
  };

  test("accepts a well-formed measurement", () => {
    expect(() => checkMeasurement(good, "m.measure.ts")).not.toThrow();
  });

  test("names the module and the field that is wrong", () => {
    expect(() => checkMeasurement(undefined, "m.measure.ts")).toThrow(
      /m.measure.ts .* not an object/,
    );
    expect(() =>
      checkMeasurement({ ...good, tables: [{ title: "t", columns: ["a"], rows: [[1, 2]] }] }, "m"),
    ).toThrow(/row 0 has 2 cells for 1 columns/);
    expect(() =>
      checkMeasurement({ ...good, charts: [{ ...good.charts[0], name: "P50 latency" }] }, "m"),
    ).toThrow(/not kebab-case/);
  });
});

describe("formatTable", () => {
  test("aligns columns: numbers right, text left", () => {
    const text = formatTable({
      title: "Writes",
      columns: ["strategy", "p50 ms"],
      rows: [
        ["sync", 12],
        ["leaderless", 7],
      ],
    });
    expect(text.split("\n")).toEqual([
      "Writes",
      "strategy    p50 ms",
      "----------  ------",
      "sync            12",
      "leaderless       7",
    ]);
  });
});
