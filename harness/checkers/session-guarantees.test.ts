import { describe, expect, test } from "vitest";
import {
  checkSessionGuarantees,
  type SessionOperation,
  type VersionedWrite,
} from "./session-guarantees.js";

const writes: VersionedWrite[] = [
  { key: "x", value: "1", version: 3 },
  { key: "y", value: "a", version: 5 },
  { key: "x", value: "2", version: 9 },
  { key: "x", value: "3", version: 12 },
];
const write = (client: string, key: string, value: string, version: number): SessionOperation => ({
  kind: "write",
  client,
  key,
  value,
  version,
});
const read = (
  client: string,
  key: string,
  value: string | undefined,
  version: number,
  replica: string,
): SessionOperation => ({ kind: "read", client, key, value, version, replica });

describe("checkSessionGuarantees", () => {
  test("a history that reads the newest values breaks nothing", () => {
    expect(
      checkSessionGuarantees(
        [
          write("c1", "x", "3", 12),
          read("c1", "x", "3", 12, "n2"),
          read("c2", "x", undefined, 0, "n3"),
        ],
        writes,
      ),
    ).toEqual([]);
  });

  test("read-your-writes: a client reads an older value than it wrote, in the issue's words", () => {
    const violations = checkSessionGuarantees(
      [write("c1", "x", "3", 12), read("c1", "x", "2", 9, "n3")],
      writes,
      ["read-your-writes"],
    );
    expect(violations.map((violation) => violation.message)).toEqual([
      "c1 wrote x=3 at version 12, then read x=2 from n3 at version 9: read-your-writes broken",
    ]);
  });

  test("monotonic reads: a client reads an older version after a newer one", () => {
    const violations = checkSessionGuarantees(
      [read("c2", "x", "3", 12, "n1"), read("c2", "x", "2", 9, "n3")],
      writes,
      ["monotonic reads"],
    );
    expect(violations.map((violation) => violation.message)).toEqual([
      "c2 read x=3 from n1 at version 12, then read x=2 from n3 at version 9: monotonic reads broken",
    ]);
  });

  test("another client's older read is no violation: guarantees are per session", () => {
    expect(
      checkSessionGuarantees(
        [write("c1", "x", "3", 12), read("c2", "x", "1", 3, "n3"), read("c1", "x", "3", 12, "n1")],
        writes,
      ),
    ).toEqual([]);
  });

  test("consistent prefix: having seen a later write of one key, a client reads another as before", () => {
    const violations = checkSessionGuarantees(
      [read("c3", "y", "a", 5, "n1"), read("c3", "x", undefined, 0, "n2")],
      writes,
    );
    expect(violations.map((violation) => violation.guarantee)).toEqual(["consistent prefix"]);
    expect(violations[0]!.message).toBe(
      "c3 had seen version 5 (it read y=a from n1), then read x=(nothing) from n2 at version 0, missing x=1 at version 3, which came before version 5: consistent prefix broken",
    );
    expect(
      checkSessionGuarantees(
        [read("c3", "y", "a", 5, "n1"), read("c3", "x", undefined, 0, "n2")],
        writes,
        ["read-your-writes", "monotonic reads"],
      ),
      "only the guarantees asked for are checked",
    ).toEqual([]);
  });

  test("a read of a value no write made, or under the wrong version, is named", () => {
    const violations = checkSessionGuarantees([read("c1", "x", "7", 9, "n2")], writes);
    expect(violations[0]!.message).toBe(
      "c1 read x=7 from n2 at version 9, but no write of x=7 has version 9 (version 9 wrote x=2 at version 9)",
    );
  });

  test("two different writes with one version are refused", () => {
    expect(() =>
      checkSessionGuarantees([], [...writes, { key: "y", value: "b", version: 12 }]),
    ).toThrow(/Two writes have version 12/);
  });
});
