import path from "node:path";
import { describe, expect, test } from "vitest";
import {
  exerciseFolders,
  isExerciseCode,
  solutionFile,
  solutionTwin,
  toModuleId,
} from "./exercise-paths.js";
import { mutantFileId, mutantOf, withMutant } from "./vitest-plugins.js";

// Vite names modules with `/` on every system; node:path joins with `\` on Windows. These
// tests run the path logic with path.win32 and path.posix whatever system runs them.
const windows = exerciseFolders("C:\\Users\\ada\\workbook", path.win32);
const posix = exerciseFolders("/home/ada/workbook", path.posix);

describe("exercise folders as Vite ids", () => {
  test("on Windows the folders are written with forward slashes, as Vite writes ids", () => {
    expect(windows, "the folders of a Windows checkout").toEqual({
      chapters: "C:/Users/ada/workbook/chapters/",
      solutions: "C:/Users/ada/workbook/solutions/",
    });
  });

  test("on macOS and Linux the folders are the joined paths", () => {
    expect(posix, "the folders of a POSIX checkout").toEqual({
      chapters: "/home/ada/workbook/chapters/",
      solutions: "/home/ada/workbook/solutions/",
    });
  });

  test("a Windows path becomes the id Vite gives it, whatever the drive letter's case", () => {
    expect(toModuleId("c:\\Users\\ada\\x.ts", path.win32), "a lower-case drive").toBe(
      "C:/Users/ada/x.ts",
    );
    expect(toModuleId("C:/Users/ada/x.ts", path.win32), "an id already").toBe("C:/Users/ada/x.ts");
  });

  test("a POSIX path with a backslash in a name keeps it: it is part of the name there", () => {
    expect(toModuleId("/home/ada/odd\\name.ts", path.posix), "a POSIX path").toBe(
      "/home/ada/odd\\name.ts",
    );
  });
});

describe("solution twins", () => {
  test("a module in chapters/ has its twin in solutions/, on Windows", () => {
    expect(
      solutionTwin("C:/Users/ada/workbook/chapters/01-clocks/lamport-clock.ts", windows),
      "the twin of a chapter module",
    ).toBe("C:/Users/ada/workbook/solutions/01-clocks/lamport-clock.ts");
  });

  test("a Vite id with a lower-case drive letter still finds its twin", () => {
    expect(
      solutionTwin("c:/Users/ada/workbook/chapters/01-clocks/lamport-clock.ts", windows),
      "the twin, whatever the drive letter's case",
    ).toBe("C:/Users/ada/workbook/solutions/01-clocks/lamport-clock.ts");
  });

  test("a query on the id does not end up in the twin", () => {
    expect(
      solutionTwin("/home/ada/workbook/chapters/02-consensus/raft.ts?mutant=x", posix),
      "the twin of an id with a query",
    ).toBe("/home/ada/workbook/solutions/02-consensus/raft.ts");
  });

  test("modules outside chapters/ have no twin", () => {
    expect(solutionTwin("C:/Users/ada/workbook/harness/index.ts", windows), "harness").toBe(
      undefined,
    );
    expect(
      solutionTwin("C:/Users/ada/workbook/chapters-old/01-clocks/x.ts", windows),
      "a folder whose name only starts like chapters",
    ).toBe(undefined);
  });
});

describe("which code the loop guard instruments", () => {
  test.for([
    ["C:/Users/ada/workbook/chapters/01-clocks/lamport-clock.ts", true],
    ["C:/Users/ada/workbook/solutions/02-consensus/raft.ts?mutant=02-consensus/x", true],
    ["C:/Users/ada/workbook/chapters/01-clocks/lamport-clock.test.ts", false],
    ["C:/Users/ada/workbook/chapters/01-clocks/lamport-clock.test.ts?mutant=01-clocks/x", false],
    ["C:/Users/ada/workbook/solutions/01-clocks/mutants/receive-without-max.ts", false],
    ["C:/Users/ada/workbook/harness/simulation/simulation.ts", false],
    ["C:/Users/ada/workbook/node_modules/vitest/index.js", false],
  ] as const)("%s → %s", ([id, instrumented]) => {
    expect(isExerciseCode(id, windows), `whether ${id} is exercise code`).toBe(instrumented);
  });
});

describe("mutant ids", () => {
  test("a mutant's name names its file in solutions/<chapter>/mutants/", () => {
    expect(mutantFileId(windows, "01-clocks/receive-without-max"), "the mutant's file").toBe(
      "C:/Users/ada/workbook/solutions/01-clocks/mutants/receive-without-max.ts",
    );
    expect(solutionFile(windows, "01-clocks", "lamport-clock.ts"), "a solution file").toBe(
      "C:/Users/ada/workbook/solutions/01-clocks/lamport-clock.ts",
    );
  });

  test("an id marked with a mutant gives that mutant back", () => {
    const id = withMutant(
      "C:/Users/ada/workbook/chapters/01-clocks/lamport-clock.test.ts",
      "01-clocks/a b",
    );
    expect(mutantOf(id), "the mutant the id is marked with").toBe("01-clocks/a b");
    expect(mutantOf("C:/Users/ada/workbook/chapters/01-clocks/x.ts"), "an unmarked id").toBe(
      undefined,
    );
  });
});
