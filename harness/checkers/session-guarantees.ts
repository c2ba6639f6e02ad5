/**
 * Session guarantees (Terry, Demers, Petersen, Spreitzer, Theimer and Welch, "Session
 * Guarantees for Weakly Consistent Replicated Data", 1994), checked on a recorded history of a
 * replicated store whose writes are totally ordered by version: a leader's log position, say.
 * A client that reads from lagging replicas can see the past; these guarantees say how much of
 * it a single client (a session) may see:
 *
 * - read-your-writes: a read returns the client's own latest write to that key, or newer;
 * - monotonic reads: a read never returns an older version of a key than the client read before;
 * - consistent prefix: a client that has seen version v (of any key) never later reads a key as
 *   it was before v, so the writes it sees appear in the order they were made.
 *
 * Every violation is said in plain words, naming the client, the values, versions and replica:
 * "c1 wrote x=3 at version 12, then read x=2 from n3 at version 9: read-your-writes broken".
 */

/** One completed operation of a client, in the order the client issued them. */
export type SessionOperation =
  | { kind: "write"; client: string; key: string; value: string; version: number }
  | {
      kind: "read";
      client: string;
      key: string;
      /** The value read; undefined when the replica had no value for the key. */
      value: string | undefined;
      /** The version of the write the read returned; 0 when it returned no value. */
      version: number;
      /** The replica that answered. */
      replica: string;
    };

/** A write as the store ordered it: the key, its value and its version. */
export interface VersionedWrite {
  key: string;
  value: string;
  version: number;
}

export type SessionGuarantee = "read-your-writes" | "monotonic reads" | "consistent prefix";

export interface SessionViolation {
  guarantee: SessionGuarantee | "reads return written values";
  client: string;
  /** The violation in plain words. */
  message: string;
}

/**
 * Checks each client's operations (`history`, in issue order per client; clients may be
 * interleaved) against the store's `writes`, for the guarantees asked (all three by default).
 * Returns every violation, the first of each client's first; an empty list means none.
 */
export function checkSessionGuarantees(
  history: readonly SessionOperation[],
  writes: readonly VersionedWrite[],
  guarantees: readonly SessionGuarantee[] = [
    "read-your-writes",
    "monotonic reads",
    "consistent prefix",
  ],
): SessionViolation[] {
  const byVersion = new Map<number, VersionedWrite>();
  for (const write of writes) {
    const earlier = byVersion.get(write.version);
    if (earlier !== undefined && (earlier.key !== write.key || earlier.value !== write.value))
      throw new RangeError(
        `Two writes have version ${write.version}: ${show(earlier)} and ${show(write)}; versions must be unique`,
      );
    byVersion.set(write.version, write);
  }
  const violations: SessionViolation[] = [];
  const sessions = new Map<string, Session>();
  for (const operation of history) {
    let session = sessions.get(operation.client);
    if (session === undefined) {
      session = { wrote: new Map(), read: new Map(), seen: undefined };
      sessions.set(operation.client, session);
    }
    const who = operation.client;
    if (operation.kind === "write") {
      session.wrote.set(operation.key, operation);
      if (session.seen === undefined || operation.version > session.seen.version)
        session.seen = { version: operation.version, how: `wrote ${show(operation)}` };
      continue;
    }
    const read = `read ${operation.key}=${operation.value ?? "(nothing)"} from ${operation.replica} at version ${operation.version}`;
    const written = byVersion.get(operation.version);
    const genuine =
      operation.version === 0
        ? operation.value === undefined
        : written !== undefined &&
          written.key === operation.key &&
          written.value === operation.value;
    if (!genuine) {
      violations.push({
        guarantee: "reads return written values",
        client: who,
        message: `${who} ${read}, but no write of ${operation.key}=${operation.value ?? "(nothing)"} has version ${operation.version}${written === undefined ? "" : ` (version ${operation.version} wrote ${show(written)})`}`,
      });
      continue;
    }
    const own = session.wrote.get(operation.key);
    if (
      guarantees.includes("read-your-writes") &&
      own !== undefined &&
      operation.version < own.version
    ) {
      violations.push({
        guarantee: "read-your-writes",
        client: who,
        message: `${who} wrote ${show(own)}, then ${read}: read-your-writes broken`,
      });
    }
    const before = session.read.get(operation.key);
    if (
      guarantees.includes("monotonic reads") &&
      before !== undefined &&
      operation.version < before.version
    ) {
      violations.push({
        guarantee: "monotonic reads",
        client: who,
        message: `${who} read ${operation.key}=${before.value ?? "(nothing)"} from ${before.replica} at version ${before.version}, then ${read}: monotonic reads broken`,
      });
    }
    if (guarantees.includes("consistent prefix") && session.seen !== undefined) {
      const horizon = session.seen.version;
      const missed = latestWriteOf(writes, operation.key, horizon);
      if (missed !== undefined && operation.version < missed.version) {
        violations.push({
          guarantee: "consistent prefix",
          client: who,
          message: `${who} had seen version ${horizon} (it ${session.seen.how}), then ${read}, missing ${show(missed)}, which came before version ${horizon}: consistent prefix broken`,
        });
      }
    }
    if (before === undefined || operation.version >= before.version)
      session.read.set(operation.key, operation);
    if (session.seen === undefined || operation.version > session.seen.version)
      session.seen = {
        version: operation.version,
        how: `read ${operation.key}=${operation.value ?? "(nothing)"} from ${operation.replica}`,
      };
  }
  return violations;
}

interface Session {
  wrote: Map<string, { key: string; value: string; version: number }>;
  read: Map<string, { value: string | undefined; version: number; replica: string }>;
  /** The highest version this client has written or read, and how. */
  seen: { version: number; how: string } | undefined;
}

function latestWriteOf(
  writes: readonly VersionedWrite[],
  key: string,
  atOrBefore: number,
): VersionedWrite | undefined {
  let latest: VersionedWrite | undefined;
  for (const write of writes)
    if (
      write.key === key &&
      write.version <= atOrBefore &&
      (latest === undefined || write.version > latest.version)
    )
      latest = write;
  return latest;
}

function show(write: { key: string; value: string; version: number }): string {
  return `${write.key}=${write.value} at version ${write.version}`;
}
