import { describe, expect, test } from "vitest";
import { checkSessionGuarantees, forEachSeed, Simulation } from "../../harness/testing.js";
import { buildSessionCluster, SessionProbe } from "./session-cluster.js";
import type { SessionEntry, SessionMessage, Version } from "./session-protocol.js";
import { ClientSession, compareVersions, FollowerNode } from "./sessions.js";

// Exercise 4.2 — reading from followers: session guarantees. Run: npm run workbook -- test 4.2

const v = (epoch: number, index: number): Version => ({ epoch, index });

/** The entry at `version` that follows `previous`, writing `key`=`value`. */
const entry = (version: Version, previous: Version, key: string, value: string): SessionEntry => ({
  version,
  previous,
  key,
  value,
  client: "c",
  request: version.index,
});

/** One real follower, f1, with a probe leader "l" and a probe client "c". */
function withFollower(seed: number, name: string) {
  const simulation = new Simulation<SessionMessage>({
    seed,
    name,
    network: { latencyMs: { min: 1, max: 5 } },
  });
  const probes = simulation.addNodes(["l", "c"], (context) => new SessionProbe(context));
  const nodes = simulation.addNodes(["f1"], (context) => new FollowerNode(context));
  const f1 = () => nodes.node("f1")!;
  const send = (from: "l" | "c", message: SessionMessage): void => {
    simulation.act<SessionProbe>(from, `${from} sends ${message.type} → f1`, (node) =>
      node.send("f1", message),
    );
    simulation.runFor(20);
  };
  const entries = (...list: SessionEntry[]) => send("l", { type: "entries", entries: list });
  let request = 0;
  /** c reads `key` after `after`; returns f1's answer. */
  const read = (key: string, after: Version) => {
    request++;
    send("c", { type: "read", request, key, after });
    const replies = probes
      .node("c")!
      .received.map((received) => received.message)
      .filter(
        (message): message is Extract<SessionMessage, { type: "read-reply" }> =>
          message.type === "read-reply" && message.request === request,
      );
    expect(replies.length, `f1 should answer the read of ${key} exactly once`).toBe(1);
    return replies[0]!;
  };
  const lastApplied = () =>
    probes
      .node("l")!
      .received.map((received) => received.message)
      .filter((message) => message.type === "applied")
      .at(-1);
  return { simulation, f1, entries, read, lastApplied };
}

/** A run's history checked against every write any leader logged. */
function violations(cluster: ReturnType<typeof buildSessionCluster>) {
  return checkSessionGuarantees(cluster.history, cluster.writes()).map(
    (violation) => violation.message,
  );
}

function runToEnd(cluster: ReturnType<typeof buildSessionCluster>, withinMs = 10_000) {
  const finished = cluster.simulation.runUntil(cluster.allFinished, { withinMs });
  expect(
    finished,
    `every client should finish its operations within ${withinMs} ms (a follower that says "behind" forever starves its reader): ${cluster.progress()}`,
  ).toBe(true);
}

describe("4.2 session guarantees: versions and the client's session", () => {
  test("versions are ordered by epoch first, then by index", () => {
    expect(compareVersions(v(1, 3), v(1, 5)), "1.3 is older than 1.5").toBeLessThan(0);
    expect(compareVersions(v(1, 5), v(1, 3)), "1.5 is newer than 1.3").toBeGreaterThan(0);
    expect(compareVersions(v(2, 4), v(2, 4)), "a version equals itself").toBe(0);
    expect(
      compareVersions(v(2, 1), v(1, 9)),
      "2.1 is newer than 1.9: a new epoch's first write comes after every write of the old one",
    ).toBeGreaterThan(0);
    expect(compareVersions(v(1, 9), v(2, 1)), "and 1.9 is older than 2.1").toBeLessThan(0);
    expect(
      compareVersions(v(0, 0), v(1, 1)),
      "the empty store is older than any write",
    ).toBeLessThan(0);
  });

  test("a session's token is the highest version it has written or read, and never goes back", () => {
    const session = new ClientSession();
    expect(session.token, "a new session has seen nothing").toEqual(v(0, 0));
    session.wrote(v(1, 4));
    expect(session.token, "after writing at 1.4").toEqual(v(1, 4));
    session.read(v(1, 7));
    expect(session.token, "after reading a value written at 1.7").toEqual(v(1, 7));
    session.read(v(1, 2));
    expect(session.token, "reading an older value (1.2, another key) must not lower it").toEqual(
      v(1, 7),
    );
    session.wrote(v(1, 5));
    expect(session.token, "nor an acknowledgement of an older write").toEqual(v(1, 7));
    session.read(v(2, 1));
    expect(session.token, "2.1 is newer than 1.7").toEqual(v(2, 1));
  });

  test("a read of any key carries the session's whole token, not just what it saw of that key", () => {
    const session = new ClientSession();
    session.wrote(v(1, 3));
    expect(session.readToken("x"), "after writing x at 1.3, a read of x carries 1.3").toEqual(
      v(1, 3),
    );
    session.read(v(1, 8));
    expect(
      session.readToken("y"),
      "having read a value of 1.8 (of x), a read of y must still carry 1.8: y as it was before 1.8 would break consistent prefix",
    ).toEqual(v(1, 8));
  });
});

describe("4.2 session guarantees: a follower's rules", () => {
  test("a follower applies entries in order and tells the leader what it has applied", () => {
    forEachSeed(
      (seed) => {
        const { f1, entries, lastApplied } = withFollower(seed, "apply in order");
        entries(entry(v(1, 1), v(0, 0), "x", "a"), entry(v(1, 2), v(1, 1), "y", "b"));
        expect(f1().applied, "f1 got 1.1 and 1.2 in order").toEqual(v(1, 2));
        expect(f1().value("x"), "x was written at 1.1").toEqual({ value: "a", version: v(1, 1) });
        expect(f1().value("y"), "y was written at 1.2").toEqual({ value: "b", version: v(1, 2) });
        expect(f1().value("z"), "nobody wrote z").toBeUndefined();
        expect(lastApplied(), "f1 should tell the leader it has applied 1.2").toEqual({
          type: "applied",
          applied: v(1, 2),
        });
      },
      { seeds: 2 },
    );
  });

  test("a follower ignores an entry that does not follow what it holds, and duplicates change nothing", () => {
    forEachSeed(
      (seed) => {
        const { f1, entries, lastApplied } = withFollower(seed, "gaps and duplicates");
        entries(entry(v(1, 2), v(1, 1), "x", "late"));
        expect(f1().applied, "1.2 follows 1.1, which f1 does not have: leave no gap").toEqual(
          v(0, 0),
        );
        expect(f1().value("x"), "so x must stay unwritten").toBeUndefined();
        expect(lastApplied(), "and f1 should still say it has applied nothing").toEqual({
          type: "applied",
          applied: v(0, 0),
        });
        entries(
          entry(v(1, 1), v(0, 0), "x", "a"),
          entry(v(1, 2), v(1, 1), "x", "b"),
          entry(v(1, 3), v(1, 2), "y", "c"),
        );
        expect(f1().applied, "now 1.1 to 1.3 fit").toEqual(v(1, 3));
        entries(entry(v(1, 1), v(0, 0), "x", "a"), entry(v(1, 2), v(1, 1), "x", "b"));
        expect(f1().applied, "a retransmission of 1.1 and 1.2 must not move f1 back").toEqual(
          v(1, 3),
        );
        expect(f1().value("y"), "nor undo y, written at 1.3").toEqual({
          value: "c",
          version: v(1, 3),
        });
        expect(f1().value("x"), "x stays at its 1.2 value").toEqual({
          value: "b",
          version: v(1, 2),
        });
      },
      { seeds: 2 },
    );
  });

  test("a follower follows a new epoch whose first entry comes after its last", () => {
    forEachSeed(
      (seed) => {
        const { f1, entries } = withFollower(seed, "new epoch");
        entries(entry(v(1, 1), v(0, 0), "x", "a"), entry(v(1, 2), v(1, 1), "x", "b"));
        entries(entry(v(2, 1), v(1, 3), "x", "other"));
        expect(f1().applied, "2.1 follows 1.3, which f1 does not have").toEqual(v(1, 2));
        entries(entry(v(2, 1), v(1, 2), "x", "c"), entry(v(2, 2), v(2, 1), "y", "d"));
        expect(f1().applied, "2.1 follows 1.2, then 2.2").toEqual(v(2, 2));
        expect(f1().value("x"), "x was written at 2.1").toEqual({ value: "c", version: v(2, 1) });
        entries(entry(v(1, 2), v(1, 1), "x", "b"));
        expect(f1().applied, "a late entry of epoch 1 changes nothing").toEqual(v(2, 2));
      },
      { seeds: 2 },
    );
  });

  test("a follower answers a read once it has applied the token: the key's value and its own version", () => {
    forEachSeed(
      (seed) => {
        const { entries, read } = withFollower(seed, "serve");
        entries(
          entry(v(1, 1), v(0, 0), "x", "a"),
          entry(v(1, 2), v(1, 1), "y", "b"),
          entry(v(1, 3), v(1, 2), "y", "c"),
        );
        expect(read("x", v(1, 3)), "f1 has applied 1.3, so it serves a read after 1.3").toEqual(
          expect.objectContaining({ status: "ok", value: "a", version: v(1, 1), applied: v(1, 3) }),
        );
        expect(
          read("x", v(0, 0)),
          "the version in the answer is that of x's write (1.1), not of f1's last entry",
        ).toEqual(expect.objectContaining({ status: "ok", value: "a", version: v(1, 1) }));
        const none = read("z", v(1, 2));
        expect(none.status, "f1 serves a read of an unwritten key after 1.2").toBe("ok");
        expect(none.value, "nobody wrote z").toBeUndefined();
        expect(none.version, "an unwritten key's version is 0.0").toEqual(v(0, 0));
      },
      { seeds: 2 },
    );
  });

  test("a follower that has not applied the token says it is behind, across epochs too", () => {
    forEachSeed(
      (seed) => {
        const { entries, read } = withFollower(seed, "behind");
        entries(entry(v(1, 1), v(0, 0), "x", "a"), entry(v(1, 2), v(1, 1), "x", "b"));
        const behind = read("x", v(1, 5));
        expect(behind.status, "f1 has applied 1.2 only, so a read after 1.5 must wait").toBe(
          "behind",
        );
        expect(behind.value, "and must not carry a value").toBeUndefined();
        expect(read("x", v(2, 1)).status, "1.2 is older than 2.1, whatever the indexes").toBe(
          "behind",
        );
        entries(entry(v(2, 1), v(1, 2), "x", "c"));
        expect(
          read("x", v(1, 9)),
          "f1 has applied 2.1, newer than 1.9 although 1 < 9: it must serve",
        ).toEqual(expect.objectContaining({ status: "ok", value: "c", version: v(2, 1) }));
      },
      { seeds: 2 },
    );
  });
});

describe("4.2 session guarantees: clients reading from lagging followers", () => {
  test("demonstration: without tokens, reads from lagging followers break the session guarantees", () => {
    const found: string[] = [];
    forEachSeed(
      (seed) => {
        const cluster = buildSessionCluster(seed, { name: "no tokens", useTokens: false });
        cluster.simulation.setLink("l1", "f3", { latencyMs: { min: 80, max: 200 } });
        runToEnd(cluster);
        found.push(...violations(cluster));
      },
      { seeds: 3 },
    );
    expect(
      found.length,
      "reading from lagging followers without a token should go back in time",
    ).toBeGreaterThan(0);
  });

  test("every session guarantee holds when one follower lags far behind", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildSessionCluster(seed, { name: "lagging follower" });
        cluster.simulation.setLink("l1", "f3", { latencyMs: { min: 80, max: 200 } });
        cluster.simulation.setLink("l1", "f2", { latencyMs: { min: 20, max: 60 } });
        runToEnd(cluster);
        expect(violations(cluster), "read-your-writes, monotonic reads, consistent prefix").toEqual(
          [],
        );
      },
      { seeds: 4 },
    );
  });

  test("every session guarantee holds with loss and duplication", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildSessionCluster(seed, {
          name: "loss and duplication",
          network: { latencyMs: { min: 1, max: 30 }, lossRate: 0.15, duplicateRate: 0.15 },
        });
        runToEnd(cluster);
        expect(violations(cluster), "read-your-writes, monotonic reads, consistent prefix").toEqual(
          [],
        );
      },
      { seeds: 4 },
    );
  });

  test("every session guarantee holds across a failover to a new epoch, and every client finishes", () => {
    forEachSeed(
      (seed) => {
        const cluster = buildSessionCluster(seed, {
          name: "failover",
          operations: 40,
          network: { latencyMs: { min: 1, max: 20 }, lossRate: 0.05, duplicateRate: 0.05 },
        });
        cluster.simulation.setLink("l1", "f3", { latencyMs: { min: 60, max: 150 } });
        cluster.simulation.runFor(300);
        cluster.failover();
        cluster.simulation.setLink("l2", "f1", { latencyMs: { min: 60, max: 150 } });
        cluster.simulation.runFor(300);
        cluster.failover();
        runToEnd(cluster);
        expect(
          cluster.writes().some((write) => write.version > 2_000_000),
          "the test should have had writes in epoch 2 or later",
        ).toBe(true);
        expect(violations(cluster), "read-your-writes, monotonic reads, consistent prefix").toEqual(
          [],
        );
      },
      { seeds: 4 },
    );
  });
});
