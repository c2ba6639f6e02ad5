import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
import type { SessionMessage, Version } from "./session-protocol.js";

/**
 * Exercise 4.2 — reading from followers: session guarantees.
 *
 * A leader (provided, session-cluster.ts) logs every write with a version and ships its log to
 * followers, which lag behind it. Clients write to the leader and read from any follower. On
 * their own, such reads can go back in time. Your part makes each client's session see its own
 * writes (read-your-writes), never see a key go backwards (monotonic reads) and never see a
 * write without the writes before it (consistent prefix), with a version token the client
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
  return todo(
    "4.2",
    `rule 1: compare versions ${a.epoch}.${a.index} and ${b.epoch}.${b.index}, epoch first`,
  );
}

/** What a client remembers between its requests (rule 4). */
export class ClientSession {
  /** The highest version this session has written or read. */
  get token(): Version {
    return todo("4.2", "rule 4: return the highest version this session has written or read");
  }

  /** The `after` token to send with a read of `key`. */
  readToken(key: string): Version {
    return todo("4.2", `rule 4: return the token a read of "${key}" must carry`);
  }

  /** The leader acknowledged this session's write at `version`. */
  wrote(version: Version): void {
    todo("4.2", `rule 4: the session wrote at ${version.epoch}.${version.index}; update the token`);
  }

  /** A follower answered this session's read: the key's value was written at `version`. */
  read(version: Version): void {
    todo(
      "4.2",
      `rule 4: the session read a value of ${version.epoch}.${version.index}; update the token`,
    );
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

  constructor(context: NodeContext<SessionMessage>) {
    // Keep what you need. Followers do not crash in this exercise: memory is enough.
    this.#context = context;
  }

  /** The version of the last entry this follower applied (`NO_VERSION` before any). */
  get applied(): Version {
    return todo("4.2", "rule 2: return the version of the last entry this follower applied");
  }

  /** This follower's value of `key` and the version that wrote it; undefined if none. */
  value(key: string): StoredValue | undefined {
    return todo("4.2", `return this follower's value and version of "${key}"`);
  }

  onMessage(from: NodeId, message: SessionMessage): void {
    todo(
      "4.2",
      `${this.#context.id}: handle a ${message.type} from ${from}: apply entries in order (rule 2) or answer a read (rule 3)`,
    );
  }
}
