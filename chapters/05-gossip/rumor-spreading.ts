import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

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

  constructor(context: NodeContext<RumorMessage>, options: RumorOptions) {
    this.#context = context;
    this.#options = options;
  }

  /** The round in which this node learned the rumour, or undefined if it has not. */
  get informedRound(): number | undefined {
    return todo(
      "5.2",
      "return the round in which this node learned the rumour (undefined if not yet)",
    );
  }

  /** Makes this node the first to know. */
  start(): void {
    todo("5.2", "rule 4: this node knows the rumour from round 0");
  }

  onStart(): void {
    todo(
      "5.2",
      `rule 1: ${this.#context.id} sets its round timer (${this.#options.mode}, fanout ${this.#options.fanout})`,
    );
  }

  onTimer(name: string): void {
    todo("5.2", `rule 1: the ${name} timer fired: call your partners if your mode says so`);
  }

  onMessage(from: NodeId, message: RumorMessage): void {
    todo("5.2", `rules 2 and 3: handle a ${message.type} from ${from}`);
  }
}
