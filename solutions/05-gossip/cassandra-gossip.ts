import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";
import { PhiAccrualDetector } from "./phi-accrual.js";

/**
 * Exercise 5.5 — Cassandra-style gossip membership, after Apache Cassandra's `Gossiper`
 * (org.apache.cassandra.gms): every second each node starts a three-message exchange of digests
 * with a random live peer, and sometimes a seed; every node marks the others up or down on its
 * own, with a phi accrual detector (exercise 5.3) fed by their heartbeats.
 *
 * What a node knows about an endpoint is its `EndpointState`: a heartbeat (generation, version)
 * and versioned application states. The generation changes only when the endpoint restarts;
 * the version grows within a generation with every change the endpoint makes, heartbeats
 * included. So (generation, highest version) orders everything an endpoint has ever said.
 */

/** An endpoint's heartbeat: which life it is in, and how far into that life. */
export interface HeartbeatState {
  generation: number;
  version: number;
}

/** One application state, such as a node's status, load or tokens, with the version it was set at. */
export interface VersionedValue {
  value: string;
  version: number;
}

/** Everything known about one endpoint. */
export interface EndpointState {
  heartbeat: HeartbeatState;
  application: Record<string, VersionedValue>;
}

/** "I know `endpoint` up to `maxVersion` of its generation `generation`." */
export interface GossipDigest {
  endpoint: NodeId;
  generation: number;
  maxVersion: number;
}

/** The three messages of one gossip exchange. */
export type GossipMessage =
  /** Initiator → peer: a digest of every endpoint the initiator knows. */
  | { type: "syn"; digests: GossipDigest[] }
  /**
   * Peer → initiator: what the peer has that is newer (`states`), and what it wants
   * (`requests`: "send me `endpoint` above `maxVersion`, generation `generation`").
   */
  | { type: "ack"; requests: GossipDigest[]; states: Record<NodeId, EndpointState> }
  /** Initiator → peer: the states the peer asked for. */
  | { type: "ack2"; states: Record<NodeId, EndpointState> };

/** Cassandra's timing and its failure detector's settings. */
export const gossipSettings = {
  /** One exchange started per node per interval (Cassandra: 1 s). */
  intervalMs: 1000,
  /** Cassandra's `phi_convict_threshold`. */
  phiThreshold: 8,
};

/**
 * The highest version in an endpoint state: its heartbeat's or any application state's. A
 * digest carries it, and "send me everything above it" is how deltas are asked for.
 */
export function maxVersionOf(state: EndpointState): number {
  let highest = state.heartbeat.version;
  for (const entry of Object.values(state.application)) highest = Math.max(highest, entry.version);
  return highest;
}

/**
 * A node of the gossip. It is created with the seeds' ids; it knows only itself and the seeds
 * at the start, and learns everyone else through gossip.
 *
 * Rules:
 * 1. On start: generation = the stored one plus one (stored again), version 0, and the
 *    application state `status` = "NORMAL". Each round (`intervalMs`), raise the heartbeat's
 *    version (versions come from one counter per life, shared by heartbeat and application
 *    states), then send a syn with a digest of every known endpoint to a random endpoint marked
 *    up; with probability down / (up + 1) also to a random endpoint marked down; and to a random
 *    seed if nothing is up, or the first target was not a seed, with probability
 *    seeds / (up + down). Never to yourself. Then mark each endpoint down whose detector is no
 *    longer available.
 * 2. On syn, for each digest, compare with your own state for that endpoint:
 *    - same generation, same highest version: nothing;
 *    - same generation, theirs newer: request it above your highest version;
 *    - same generation, yours newer: send your state above their highest version;
 *    - their generation newer, or the endpoint unknown: request all of it (above version 0);
 *    - your generation newer: send all of yours.
 *    Answer with one ack of those requests and states.
 * 3. On ack: apply its states; answer with an ack2 holding, for each request, your state for that
 *    endpoint above the requested version (if you have anything there).
 * 4. On ack2: apply its states.
 * 5. Applying a remote state: unknown endpoint or newer generation: take it whole. Same
 *    generation: take the heartbeat if newer, and each application state whose version is newer
 *    than yours. Older generation: ignore it. Never apply anything about yourself.
 * 6. Each time an endpoint's heartbeat is newer than before, report a heartbeat to its phi
 *    detector (exponential model, threshold 8, first estimate two intervals; a fresh detector
 *    for a new generation) and mark it up.
 */
export class GossipNode implements SimulatedNode<GossipMessage> {
  readonly #context: NodeContext<GossipMessage>;
  readonly #seeds: readonly NodeId[];
  readonly #states = new Map<NodeId, EndpointState>();
  readonly #detectors = new Map<NodeId, PhiAccrualDetector>();
  readonly #up = new Set<NodeId>();
  #version = 0;

  constructor(context: NodeContext<GossipMessage>, seeds: readonly NodeId[]) {
    this.#context = context;
    this.#seeds = seeds;
  }

  /** This node's current generation. */
  get generation(): number {
    return this.#own().heartbeat.generation;
  }

  /** A copy of every endpoint state this node knows, its own included. */
  view(): Record<NodeId, EndpointState> {
    const copy: Record<NodeId, EndpointState> = {};
    for (const [endpoint, state] of this.#states) copy[endpoint] = cloneState(state);
    return copy;
  }

  /** Whether this node currently marks `endpoint` up (it always marks itself up). */
  isUp(endpoint: NodeId): boolean {
    return endpoint === this.#context.id || this.#up.has(endpoint);
  }

  /** Sets one of this node's own application states, at a new version. */
  setApplicationState(key: string, value: string): void {
    this.#own().application[key] = { value, version: ++this.#version };
  }

  onStart(): void {
    const generation = (this.#context.storage.get<number>("generation") ?? 0) + 1;
    this.#context.storage.set("generation", generation);
    this.#version = 0;
    this.#states.set(this.#context.id, {
      heartbeat: { generation, version: 0 },
      application: {},
    });
    this.setApplicationState("status", "NORMAL");
    this.#context.setTimer("gossip", this.#context.randomInt(1, gossipSettings.intervalMs));
  }

  onTimer(name: string): void {
    if (name !== "gossip") return;
    this.#own().heartbeat.version = ++this.#version;
    this.#gossipRound();
    this.#checkStatus();
    this.#context.setTimer("gossip", gossipSettings.intervalMs);
  }

  onMessage(from: NodeId, message: GossipMessage): void {
    if (message.type === "syn") {
      const requests: GossipDigest[] = [];
      const states: Record<NodeId, EndpointState> = {};
      for (const digest of message.digests) this.#examine(digest, requests, states);
      this.#context.send(from, { type: "ack", requests, states });
    } else if (message.type === "ack") {
      this.#applyAll(message.states);
      const states: Record<NodeId, EndpointState> = {};
      for (const request of message.requests) {
        const local = this.#states.get(request.endpoint);
        const delta = local === undefined ? undefined : deltaAbove(local, request.maxVersion);
        if (delta !== undefined) states[request.endpoint] = delta;
      }
      this.#context.send(from, { type: "ack2", states });
    } else {
      this.#applyAll(message.states);
    }
  }

  /** Rule 2: what to ask for and what to send, for one digest of a syn. */
  #examine(
    digest: GossipDigest,
    requests: GossipDigest[],
    states: Record<NodeId, EndpointState>,
  ): void {
    const local = this.#states.get(digest.endpoint);
    const requestAll = (): void => {
      requests.push({ endpoint: digest.endpoint, generation: digest.generation, maxVersion: 0 });
    };
    if (local === undefined) return requestAll();
    const localGeneration = local.heartbeat.generation;
    // Versions restart with every generation, so they mean nothing across generations: a new
    // life's version 3 is newer than an old life's version 3,000.
    if (digest.generation > localGeneration) return requestAll();
    if (digest.generation < localGeneration) {
      states[digest.endpoint] = cloneState(local);
      return;
    }
    const localMaxVersion = maxVersionOf(local);
    if (digest.maxVersion > localMaxVersion) {
      requests.push({
        endpoint: digest.endpoint,
        generation: digest.generation,
        maxVersion: localMaxVersion,
      });
    } else if (digest.maxVersion < localMaxVersion) {
      states[digest.endpoint] = deltaAbove(local, digest.maxVersion)!;
    }
  }

  #applyAll(states: Record<NodeId, EndpointState>): void {
    for (const [endpoint, remote] of Object.entries(states)) this.#apply(endpoint, remote);
  }

  /** Rule 5, and rule 6's reports to the failure detector. */
  #apply(endpoint: NodeId, remote: EndpointState): void {
    if (endpoint === this.#context.id) return;
    const local = this.#states.get(endpoint);
    if (local === undefined || remote.heartbeat.generation > local.heartbeat.generation) {
      // A new endpoint, or one that restarted: its old state says nothing about its new life.
      this.#states.set(endpoint, cloneState(remote));
      this.#detectors.set(endpoint, this.#newDetector());
      this.#heartbeatFrom(endpoint);
      return;
    }
    if (remote.heartbeat.generation < local.heartbeat.generation) return;
    if (remote.heartbeat.version > local.heartbeat.version) {
      local.heartbeat = { ...remote.heartbeat };
      this.#heartbeatFrom(endpoint);
    }
    for (const [key, entry] of Object.entries(remote.application)) {
      const mine = local.application[key];
      if (mine === undefined || entry.version > mine.version) local.application[key] = { ...entry };
    }
  }

  #heartbeatFrom(endpoint: NodeId): void {
    this.#detectors.get(endpoint)!.heartbeat(this.#context.monotonicNow());
    this.#up.add(endpoint);
  }

  #newDetector(): PhiAccrualDetector {
    return new PhiAccrualDetector({
      threshold: gossipSettings.phiThreshold,
      distribution: "exponential",
      firstHeartbeatEstimateMs: 2 * gossipSettings.intervalMs,
      windowSize: 1000,
    });
  }

  /** Rule 1: one syn to a live endpoint, maybe one to a down one, maybe one to a seed. */
  #gossipRound(): void {
    const self = this.#context.id;
    const known = [...this.#states.keys()].filter((endpoint) => endpoint !== self);
    const up = known.filter((endpoint) => this.#up.has(endpoint));
    const down = known.filter((endpoint) => !this.#up.has(endpoint));
    const syn: GossipMessage = { type: "syn", digests: this.#digests() };
    let first: NodeId | undefined;
    if (up.length > 0) {
      first = this.#pick(up);
      this.#context.send(first, syn);
    }
    if (down.length > 0 && this.#context.random() < down.length / (up.length + 1))
      this.#context.send(this.#pick(down), syn);
    const seeds = this.#seeds.filter((seed) => seed !== self);
    if (seeds.length === 0) return;
    const seedFirst = first !== undefined && this.#seeds.includes(first);
    if (up.length === 0) this.#context.send(this.#pick(seeds), syn);
    else if (!seedFirst && this.#context.random() < seeds.length / (up.length + down.length))
      this.#context.send(this.#pick(seeds), syn);
  }

  #checkStatus(): void {
    const nowMs = this.#context.monotonicNow();
    for (const [endpoint, detector] of this.#detectors)
      if (this.#up.has(endpoint) && !detector.isAvailable(nowMs)) {
        this.#up.delete(endpoint);
        this.#context.note(
          `phi for ${endpoint} is ${detector.phi(nowMs).toFixed(1)}: marking it down`,
        );
      }
  }

  #digests(): GossipDigest[] {
    return [...this.#states].map(([endpoint, state]) => ({
      endpoint,
      generation: state.heartbeat.generation,
      maxVersion: maxVersionOf(state),
    }));
  }

  #own(): EndpointState {
    return this.#states.get(this.#context.id)!;
  }

  #pick(endpoints: readonly NodeId[]): NodeId {
    return endpoints[this.#context.randomInt(0, endpoints.length - 1)]!;
  }
}

/** The part of `state` newer than `version`: its heartbeat, and the application states above it. */
function deltaAbove(state: EndpointState, version: number): EndpointState | undefined {
  const application: Record<string, VersionedValue> = {};
  for (const [key, entry] of Object.entries(state.application))
    if (entry.version > version) application[key] = { ...entry };
  if (state.heartbeat.version <= version && Object.keys(application).length === 0) return undefined;
  return { heartbeat: { ...state.heartbeat }, application };
}

function cloneState(state: EndpointState): EndpointState {
  const application: Record<string, VersionedValue> = {};
  for (const [key, entry] of Object.entries(state.application)) application[key] = { ...entry };
  return { heartbeat: { ...state.heartbeat }, application };
}
