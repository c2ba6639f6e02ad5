import {
  Simulation,
  type NodeContext,
  type NodeGroup,
  type NodeId,
  type SimulatedNode,
  type SimulationOptions,
} from "../../harness/index.js";
import type { SessionOperation, VersionedWrite } from "../../harness/testing.js";
import type { SessionEntry, SessionMessage, Version } from "./session-protocol.js";
import { ClientSession, FollowerNode } from "./sessions.js";

// Test support for exercise 4.2: the leader, the clients and the clusters the tests build. You
// do not need to change anything here.

const EMPTY: Version = { epoch: 0, index: 0 };
const same = (a: Version, b: Version) => a.epoch === b.epoch && a.index === b.index;

/**
 * The versions as one number for the history checker: epoch first, then index (an index stays
 * below a million in every test).
 */
export const versionNumber = (version: Version): number =>
  version.epoch * 1_000_000 + version.index;

/**
 * The leader: logs each write once (a retry of the same client request gets the same version),
 * ships its log to every follower from what that follower last said it applied, and
 * acknowledges a write once some follower has applied it, so that failing over to the most
 * up-to-date follower loses no acknowledged write. It starts leading when `lead` is called.
 */
export class SessionLeader implements SimulatedNode<SessionMessage> {
  readonly #context: NodeContext<SessionMessage>;
  readonly #followers: readonly NodeId[];
  #epoch = 0;
  #log: SessionEntry[] = [];
  readonly #position = new Map<string, number>();
  readonly #byRequest = new Map<string, SessionEntry>();
  /** For each follower, how many entries of the log it has applied. */
  readonly #matched = new Map<NodeId, number>();
  readonly #waiting: Array<{ client: NodeId; request: number; position: number }> = [];

  constructor(context: NodeContext<SessionMessage>, followers: readonly NodeId[]) {
    this.#context = context;
    this.#followers = followers;
  }

  /** Every entry this leader has logged, oldest first. */
  get log(): readonly SessionEntry[] {
    return this.#log;
  }

  get leading(): boolean {
    return this.#epoch > 0;
  }

  /** Start leading `epoch`, with the log the most up-to-date follower holds. */
  lead(epoch: number, log: readonly SessionEntry[]): void {
    this.#epoch = epoch;
    this.#log = [];
    for (const entry of log) this.#append(entry);
    this.#context.setTimer("replicate", 1);
  }

  /** How many entries of this leader's log `version` covers; undefined if not in it. */
  positionOf(version: Version): number | undefined {
    return same(version, EMPTY) ? 0 : this.#position.get(`${version.epoch}.${version.index}`);
  }

  onTimer(): void {
    for (const follower of this.#followers) {
      const from = this.#matched.get(follower) ?? 0;
      const entries = this.#log.slice(from, from + 16);
      this.#context.send(follower, { type: "entries", entries });
    }
    this.#context.setTimer("replicate", 20);
  }

  onMessage(from: NodeId, message: SessionMessage): void {
    if (!this.leading) return;
    if (message.type === "applied") {
      const position = this.positionOf(message.applied);
      if (position !== undefined && position > (this.#matched.get(from) ?? 0))
        this.#matched.set(from, position);
      this.#answerWaiting();
    } else if (message.type === "write") {
      const key = `${from}:${message.request}`;
      let entry = this.#byRequest.get(key);
      if (entry === undefined) {
        const last = this.#log.at(-1);
        const previous = last?.version ?? EMPTY;
        const index =
          last !== undefined && last.version.epoch === this.#epoch ? previous.index + 1 : 1;
        entry = {
          version: { epoch: this.#epoch, index },
          previous,
          key: message.key,
          value: message.value,
          client: from,
          request: message.request,
        };
        this.#append(entry);
      }
      this.#waiting.push({
        client: from,
        request: message.request,
        position: this.positionOf(entry.version)!,
      });
      this.#answerWaiting();
    }
  }

  #append(entry: SessionEntry): void {
    this.#log.push(entry);
    this.#position.set(`${entry.version.epoch}.${entry.version.index}`, this.#log.length);
    this.#byRequest.set(`${entry.client}:${entry.request}`, entry);
  }

  #answerWaiting(): void {
    const best = Math.max(0, ...this.#matched.values());
    for (let i = this.#waiting.length - 1; i >= 0; i--) {
      const waiting = this.#waiting[i]!;
      if (waiting.position > best) continue;
      this.#waiting.splice(i, 1);
      const version = this.#log[waiting.position - 1]!.version;
      this.#context.send(waiting.client, { type: "write-ok", request: waiting.request, version });
    }
  }
}

export interface SessionClientOptions {
  followers: readonly NodeId[];
  /** Who leads now. */
  leader: () => NodeId;
  /** How many operations to run. */
  operations: number;
  keys: readonly string[];
  history: SessionOperation[];
  /** False to read without a token (always `{ epoch: 0, index: 0 }`), for the demonstration. */
  useTokens?: boolean;
}

/**
 * A client that runs `operations` random writes and reads, one at a time, through a
 * `ClientSession`: writes go to the leader, reads to a random follower; a read that a follower
 * answers "behind", or that times out, goes to another follower. Each completed operation is
 * recorded in `history`.
 */
export class SessionClient implements SimulatedNode<SessionMessage> {
  readonly session = new ClientSession();
  readonly #context: NodeContext<SessionMessage>;
  readonly #options: SessionClientOptions;
  #done = 0;
  #request = 0;
  #pending:
    | { kind: "write"; key: string; value: string; to: NodeId }
    | { kind: "read"; key: string; to: NodeId }
    | undefined;

  constructor(context: NodeContext<SessionMessage>, options: SessionClientOptions) {
    this.#context = context;
    this.#options = options;
  }

  get finished(): boolean {
    return this.#done >= this.#options.operations;
  }

  get completed(): number {
    return this.#done;
  }

  onStart(): void {
    this.#context.setTimer("next", this.#context.randomInt(1, 20));
  }

  onTimer(name: string): void {
    if (name === "next") return this.#next();
    if (name === "retry" && this.#pending !== undefined) this.#send();
  }

  onMessage(from: NodeId, message: SessionMessage): void {
    const pending = this.#pending;
    if (pending === undefined || !("request" in message) || message.request !== this.#request)
      return;
    const client = this.#context.id;
    if (message.type === "write-ok" && pending.kind === "write") {
      this.session.wrote(message.version);
      this.#options.history.push({
        kind: "write",
        client,
        key: pending.key,
        value: pending.value,
        version: versionNumber(message.version),
      });
      this.#finish();
    } else if (message.type === "read-reply" && pending.kind === "read" && from === pending.to) {
      if (message.status === "behind") {
        this.#context.cancelTimer("retry");
        this.#context.setTimer("retry", 5);
        return;
      }
      const version = message.version ?? EMPTY;
      this.session.read(version);
      this.#options.history.push({
        kind: "read",
        client,
        key: pending.key,
        value: message.value,
        version: versionNumber(version),
        replica: from,
      });
      this.#finish();
    }
  }

  #next(): void {
    if (this.finished) return;
    const keys = this.#options.keys;
    const key = keys[this.#context.randomInt(0, keys.length - 1)]!;
    this.#request++;
    this.#pending =
      this.#context.random() < 0.4
        ? { kind: "write", key, value: `${this.#context.id}-${this.#request}`, to: "" }
        : { kind: "read", key, to: "" };
    this.#send();
  }

  #send(): void {
    const pending = this.#pending!;
    if (pending.kind === "write") {
      pending.to = this.#options.leader();
      this.#context.send(pending.to, {
        type: "write",
        request: this.#request,
        key: pending.key,
        value: pending.value,
      });
      this.#context.setTimer("retry", 150);
    } else {
      const followers = this.#options.followers;
      pending.to = followers[this.#context.randomInt(0, followers.length - 1)]!;
      const after = this.#options.useTokens === false ? EMPTY : this.session.readToken(pending.key);
      this.#context.send(pending.to, {
        type: "read",
        request: this.#request,
        key: pending.key,
        after,
      });
      this.#context.setTimer("retry", 60);
    }
  }

  #finish(): void {
    this.#pending = undefined;
    this.#done++;
    this.#context.cancelTimer("retry");
    this.#context.setTimer("next", this.#context.randomInt(0, 15));
  }
}

export interface SessionClusterOptions {
  name: string;
  network?: SimulationOptions["network"];
  followers?: readonly NodeId[];
  clients?: readonly NodeId[];
  operations?: number;
  useTokens?: boolean;
}

/** Leaders l1 to l3 (l1 leads epoch 1; `failover` promotes the next), followers and clients. */
export function buildSessionCluster(seed: number, options: SessionClusterOptions) {
  const followerIds = options.followers ?? ["f1", "f2", "f3"];
  const clientIds = options.clients ?? ["c1", "c2", "c3"];
  const leaderIds = ["l1", "l2", "l3"];
  const simulation = new Simulation<SessionMessage>({
    seed,
    name: options.name,
    network: options.network ?? { latencyMs: { min: 1, max: 10 } },
  });
  const leaders = simulation.addNodes(
    leaderIds,
    (context) => new SessionLeader(context, followerIds),
  );
  const followers: NodeGroup<FollowerNode> = simulation.addNodes(
    followerIds,
    (context) => new FollowerNode(context),
  );
  let epoch = 1;
  let leader = "l1";
  /** The logs of crashed leaders, as far as their successors kept them, for the checker. */
  const retired: SessionEntry[] = [];
  simulation.act<SessionLeader>("l1", "l1 leads epoch 1", (node) => node.lead(1, []));
  const history: SessionOperation[] = [];
  const clients = simulation.addNodes(
    clientIds,
    (context) =>
      new SessionClient(context, {
        followers: followerIds,
        leader: () => leader,
        operations: options.operations ?? 25,
        keys: ["x", "y", "z"],
        history,
        ...(options.useTokens === undefined ? {} : { useTokens: options.useTokens }),
      }),
  );

  /**
   * The leader crashes; once the entries it had in flight have landed (`drainMs` later, longer
   * than any link in the tests takes), the next one takes over the log of the most up-to-date
   * live follower (as that follower would, promoted) and leads the next epoch. Choosing at once
   * would let an entry still in flight reach a follower after the new epoch had dropped it.
   */
  const failover = (drainMs = 200): void => {
    const old = leaders.node(leader)!;
    simulation.crash(leader);
    simulation.at(simulation.nowMs + drainMs, "promote the most up-to-date follower's log", () => {
      let best = 0;
      for (const id of followers.liveIds()) {
        const position = old.positionOf(followers.node(id)!.applied) ?? 0;
        best = Math.max(best, position);
      }
      const log = old.log.slice(0, best);
      // The tail past `best` reached no follower, so was never acknowledged nor read: the new
      // epoch drops it, and it is no part of the history the checker judges (keeping it there
      // would make a later epoch's reads look like they skipped it).
      retired.push(...log);
      epoch++;
      leader = leaderIds[epoch - 1]!;
      simulation.act<SessionLeader>(leader, `${leader} leads epoch ${epoch}`, (node) =>
        node.lead(epoch, log),
      );
    });
  };

  /** Every write any leader logged, as the checker wants them. */
  const writes = (): VersionedWrite[] => {
    const all = new Map<number, VersionedWrite>();
    const entries = [...retired, ...leaderIds.flatMap((id) => leaders.node(id)?.log ?? [])];
    for (const entry of entries)
      all.set(versionNumber(entry.version), {
        key: entry.key,
        value: entry.value,
        version: versionNumber(entry.version),
      });
    return [...all.values()];
  };

  const allFinished = () => clientIds.every((id) => clients.node(id)!.finished);
  const progress = () =>
    clientIds.map((id) => `${id} finished ${clients.node(id)!.completed}`).join(", ");

  return {
    simulation,
    followers,
    clients,
    history,
    writes,
    failover,
    allFinished,
    progress,
    followerIds,
    clientIds,
  };
}

/** A stand-in node the probe tests drive by hand: it sends what it is told and keeps what it gets. */
export class SessionProbe implements SimulatedNode<SessionMessage> {
  readonly received: Array<{ from: NodeId; message: SessionMessage }> = [];
  readonly #context: NodeContext<SessionMessage>;

  constructor(context: NodeContext<SessionMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: SessionMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: SessionMessage): void {
    this.received.push({ from, message });
  }
}
