import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";
// Your detector from exercise 5.3: rule 6 says how to set it up.
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

  constructor(context: NodeContext<GossipMessage>, seeds: readonly NodeId[]) {
    this.#context = context;
    this.#seeds = seeds;
  }

  /** This node's current generation. */
  get generation(): number {
    return todo("5.5", "return this node's current generation");
  }

  /** A copy of every endpoint state this node knows, its own included. */
  view(): Record<NodeId, EndpointState> {
    return todo("5.5", "return a copy of every endpoint state this node knows, its own included");
  }

  /** Whether this node currently marks `endpoint` up (it always marks itself up). */
  isUp(endpoint: NodeId): boolean {
    return todo("5.5", `rule 6: does ${this.#context.id} mark ${endpoint} up?`);
  }

  /** Sets one of this node's own application states, at a new version. */
  setApplicationState(key: string, value: string): void {
    todo("5.5", `set this node's application state ${key} = ${value} at a new version`);
  }

  onStart(): void {
    todo(
      "5.5",
      `rule 1: ${this.#context.id} starts a new generation (seeds: ${this.#seeds.join(", ")}), sets status NORMAL and its gossip timer`,
    );
  }

  onTimer(name: string): void {
    todo("5.5", `rule 1: the ${name} timer fired: heartbeat, gossip round, status check`);
  }

  onMessage(from: NodeId, message: GossipMessage): void {
    todo("5.5", `rules 2 to 5: handle a ${message.type} from ${from}`);
  }
}
