import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import type {
  SessionEntry,
  SessionMessage,
  Version,
} from "../../chapters/04-replication/session-protocol.js";

/**
 * Exercise 4.2 — reading from followers: session guarantees.
 *
 * A leader (provided, session-cluster.ts) logs every write with a version and ships its log to
 * followers, which lag behind it. Clients write to the leader and read from any follower. On
 * their own, such reads can go back in time. The learner's part makes each client's session see
 * its own writes (read-your-writes), never see a key go backwards (monotonic reads) and never
 * see a write without the writes before it (consistent prefix), with a version token the client
 * carries and the follower checks. The messages are in session-protocol.ts.
 *
 * The rules, one by one (the notes explain each; the tests check each by itself):
 * 1. Versions are ordered by epoch first, then by index within the epoch.
 * 2. A follower applies an entry only right after its `previous`: never out of order, never
 *    twice. It tells the leader what it has applied.
 * 3. A follower answers a read only once it has applied the read's `after` token; otherwise it
 *    says "behind", and the client asks another follower.
 * 4. A session's token is the highest version it has written or read, over every key: it only
 *    moves forward, and every read carries it.
 */

/** The empty store's version. */
export const NO_VERSION: Version = { epoch: 0, index: 0 };

/** Negative if `a` is older than `b`, 0 if the same, positive if newer (rule 1). */
export function compareVersions(a: Version, b: Version): number {
  // A new leader's epoch restarts its index at 1, so an index means nothing across epochs:
  // every write of epoch 2 comes after every write of epoch 1.
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  return a.index - b.index;
}

/** The newer of two versions. */
function newer(a: Version, b: Version): Version {
  return compareVersions(a, b) >= 0 ? a : b;
}

/** What a client remembers between its requests (rule 4). */
export class ClientSession {
  #token: Version = NO_VERSION;

  /** The highest version this session has written or read. */
  get token(): Version {
    return this.#token;
  }

  /** The `after` token to send with a read of `key`. */
  readToken(key: string): Version {
    // One token for every key: having seen version v of x, the session must not read y as it
    // was before v (consistent prefix), so a per-key token is not enough.
    void key;
    return this.#token;
  }

  /** The leader acknowledged this session's write at `version`. */
  wrote(version: Version): void {
    this.#token = newer(this.#token, version);
  }

  /** A follower answered this session's read: the key's value was written at `version`. */
  read(version: Version): void {
    // max, not last: an older key read now must not let the token fall back.
    this.#token = newer(this.#token, version);
  }
}

/** What a follower holds for one key. */
export interface StoredValue {
  value: string;
  version: Version;
}

/** A follower: applies the leader's log in order and serves reads that it is recent enough for. */
export class FollowerNode implements SimulatedNode<SessionMessage> {
  readonly #context: NodeContext<SessionMessage>;
  readonly #values = new Map<string, StoredValue>();
  #applied: Version = NO_VERSION;

  constructor(context: NodeContext<SessionMessage>) {
    this.#context = context;
  }

  /** The version of the last entry this follower applied (`NO_VERSION` before any). */
  get applied(): Version {
    return this.#applied;
  }

  /** This follower's value of `key` and the version that wrote it; undefined if none. */
  value(key: string): StoredValue | undefined {
    return this.#values.get(key);
  }

  onMessage(from: NodeId, message: SessionMessage): void {
    if (message.type === "entries") {
      for (const entry of message.entries) this.#apply(entry);
      // Said every time, even when nothing was new: the leader's last batch may have been
      // lost, or its last "applied" from us.
      this.#context.send(from, { type: "applied", applied: this.#applied });
    } else if (message.type === "read") {
      if (compareVersions(this.#applied, message.after) < 0) {
        this.#context.send(from, {
          type: "read-reply",
          request: message.request,
          status: "behind",
          applied: this.#applied,
        });
        return;
      }
      const stored = this.#values.get(message.key);
      this.#context.send(from, {
        type: "read-reply",
        request: message.request,
        status: "ok",
        ...(stored === undefined ? {} : { value: stored.value }),
        version: stored?.version ?? NO_VERSION,
        applied: this.#applied,
      });
    }
  }

  #apply(entry: SessionEntry): void {
    // Rule 2: only the entry right after what we hold. A duplicate or an old retransmission
    // (previous older than applied) and one that skips ahead (previous newer) are both ignored;
    // the leader sends again from what we report.
    if (compareVersions(entry.previous, this.#applied) !== 0) return;
    this.#values.set(entry.key, { value: entry.value, version: entry.version });
    this.#applied = entry.version;
  }
}
