import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 5.2 — how fast does a rumour spread? Push, pull and push-pull gossip in synchronous
 * rounds (the "random phone call" model of Karp, Schindelhauer, Shenker and Vöcking, 2000):
 * every `roundMs`, each node calls `fanout` peers chosen at random.
 *
 * - push: a node that knows the rumour sends it to its partners;
 * - pull: a node that does not know it asks its partners, and a partner that knows answers;
 * - push-pull: every node calls its partners; whoever knows tells the other.
 */

export type RumorMode = "push" | "pull" | "push-pull";

export interface RumorOptions {
  mode: RumorMode;
  /** Partners per node per round. */
  fanout: number;
}

export type RumorMessage =
  /** "Here is the rumour." */
  | { type: "rumor" }
  /** "Do you know the rumour? Tell me if you do." */
  | { type: "pull" };

/** One round lasts this long; messages take far less (the tests use 1 to 10 ms). */
export const roundMs = 100;

/**
 * A node of the rumour experiment.
 *
 * Rules:
 * 1. Every `roundMs` from the start, the node calls `fanout` distinct peers chosen at random
 *    (never itself): in push mode only if it knows the rumour, sending `rumor`; in pull mode only
 *    if it does not, sending `pull`; in push-pull mode always, sending `rumor` if it knows it and
 *    `pull` if not.
 * 2. On `rumor`: now it knows (and remembers the round it learned it).
 * 3. On `pull`: in pull and push-pull modes, answer `rumor` if it knows the rumour; otherwise
 *    nothing.
 * 4. `start()`, a client's call, makes the node the first to know, in round 0.
 */
export class RumorNode implements SimulatedNode<RumorMessage> {
  readonly #context: NodeContext<RumorMessage>;
  readonly #options: RumorOptions;
  #round = 0;
  #informedRound: number | undefined;

  constructor(context: NodeContext<RumorMessage>, options: RumorOptions) {
    if (!Number.isSafeInteger(options.fanout) || options.fanout < 1)
      throw new RangeError(`Expected a fanout that is a whole number >= 1, got ${options.fanout}`);
    this.#context = context;
    this.#options = options;
  }

  /** The round in which this node learned the rumour, or undefined if it has not. */
  get informedRound(): number | undefined {
    return this.#informedRound;
  }

  /** Makes this node the first to know. */
  start(): void {
    this.#informedRound ??= this.#round;
  }

  onStart(): void {
    this.#context.setTimer("round", roundMs);
  }

  onTimer(name: string): void {
    if (name !== "round") return;
    this.#round++;
    const informed = this.#informedRound !== undefined;
    const { mode } = this.#options;
    const calls = mode === "push-pull" || (mode === "push") === informed;
    if (calls) {
      const message: RumorMessage = informed ? { type: "rumor" } : { type: "pull" };
      for (const partner of this.#partners()) this.#context.send(partner, message);
    }
    this.#context.setTimer("round", roundMs);
  }

  onMessage(from: NodeId, message: RumorMessage): void {
    if (message.type === "rumor") {
      // Learned during this round's calls: it starts spreading next round.
      this.#informedRound ??= this.#round;
      return;
    }
    if (this.#options.mode !== "push" && this.#informedRound !== undefined)
      this.#context.send(from, { type: "rumor" });
  }

  /** `fanout` distinct peers, uniformly at random: a partial Fisher–Yates shuffle. */
  #partners(): NodeId[] {
    const peers = [...this.#context.peers];
    const count = Math.min(this.#options.fanout, peers.length);
    for (let index = 0; index < count; index++) {
      const other = this.#context.randomInt(index, peers.length - 1);
      [peers[index], peers[other]] = [peers[other]!, peers[index]!];
    }
    return peers.slice(0, count);
  }
}
