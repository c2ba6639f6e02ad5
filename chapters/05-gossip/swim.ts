import { todo, type NodeContext, type NodeId, type SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 5.4 — SWIM membership with suspicion (Das, Gupta and Motivala, "SWIM: Scalable
 * Weakly-consistent Infection-style Process Group Membership Protocol", 2002).
 *
 * Every member probes one other member per protocol period, so the load on each member stays
 * the same however large the group grows. A member that misses a direct ping is probed again
 * through `indirectProbes` others; one that misses those too is only _suspected_, and it has
 * `suspicionTimeoutMs` to refute the suspicion before it is declared dead. Membership news
 * travels piggybacked on the probes themselves, each update a bounded number of times.
 */

/** What a member can be, in someone's view. */
export type MemberState = "alive" | "suspect" | "dead";

/** A piece of membership news: "`member` is `state` at `incarnation`". */
export interface MemberUpdate {
  member: NodeId;
  state: MemberState;
  incarnation: number;
}

/** What the members say to each other; every message carries piggybacked `updates`. */
export type SwimMessage =
  /** "Are you there?" A direct probe, or a probe made on another member's behalf. */
  | { type: "ping"; sequence: number; updates: MemberUpdate[] }
  /** "`target` is there": the answer to the ping numbered `sequence`, possibly relayed. */
  | { type: "ack"; sequence: number; target: NodeId; updates: MemberUpdate[] }
  /** "Ping `target` for me, and pass its ack back as the answer to my `sequence`." */
  | { type: "ping-req"; sequence: number; target: NodeId; updates: MemberUpdate[] };

/** The protocol's timing and its limits. */
export const swimSettings = {
  /** One probe per member per period. */
  periodMs: 500,
  /** How long to wait for a direct ack before asking others to probe; above the round trip. */
  pingTimeoutMs: 150,
  /** How many members to ask for an indirect probe (the paper's k). */
  indirectProbes: 3,
  /** How long a suspect has to refute before it is declared dead: ten periods. */
  suspicionTimeoutMs: 5000,
  /** The most updates one message carries. */
  piggybackMax: 6,
};

/**
 * How many times a member passes on one update before dropping it: 3 ⌈log2(N + 1)⌉, which
 * reaches every member with high probability (infection-style dissemination takes O(log N)
 * periods) while keeping messages small.
 */
export function retransmitLimit(groupSize: number): number {
  return 3 * Math.ceil(Math.log2(groupSize + 1));
}

/**
 * A SWIM member. The group is this node and its peers, all alive at incarnation 0 at the start.
 *
 * Rules:
 * 1. Every `periodMs`, probe the next member in a shuffled round-robin order of the members not
 *    known to be dead: send it a `ping`. A member answers every ping with an `ack` of the same
 *    sequence, its `target` itself.
 * 2. No ack within `pingTimeoutMs`: send a `ping-req` for the target to `indirectProbes` other
 *    random members not known dead. A member asked by ping-req pings the target itself and
 *    relays the target's ack to the asker, as the answer to the asker's sequence.
 * 3. No ack, direct or relayed, by the end of the period: suspect the target (at the incarnation
 *    you know for it). Never declare a member dead because it missed a ping.
 * 4. A suspicion that is not overridden within `suspicionTimeoutMs` becomes dead. Dead is final.
 * 5. Updates override by incarnation, as the paper says: alive at i overrides alive or suspect
 *    below i; suspect at i overrides suspect below i and alive at or below i; dead overrides
 *    everything; nothing overrides dead.
 * 6. A member that hears itself suspected at its own incarnation or higher refutes: it sets its
 *    incarnation one above the suspicion's and spreads alive at that incarnation.
 * 7. Every update a member accepts, or makes, is piggybacked on its outgoing messages, at most
 *    `piggybackMax` per message (the least sent first), and dropped after `retransmitLimit`
 *    sends. A message to a member you suspect also carries that suspicion, however often it was
 *    sent (Lifeguard's "buddy system"), so that the suspect hears of it and can refute.
 */
export class SwimNode implements SimulatedNode<SwimMessage> {
  readonly #context: NodeContext<SwimMessage>;

  constructor(context: NodeContext<SwimMessage>) {
    this.#context = context;
  }

  /** This member's own incarnation number. */
  get incarnation(): number {
    return todo("5.4", "return this member's own incarnation (0 at the start)");
  }

  /** What this member believes about `id`, or undefined for a member it has never heard of. */
  member(id: NodeId): { state: MemberState; incarnation: number } | undefined {
    return todo(
      "5.4",
      `return what ${this.#context.id} believes about ${id}: its state and incarnation`,
    );
  }

  onStart(): void {
    todo(
      "5.4",
      `${this.#context.id} starts: every peer alive at incarnation 0, then the period timer`,
    );
  }

  onTimer(name: string): void {
    todo("5.4", `rules 1 to 4: the ${name} timer fired`);
  }

  onMessage(from: NodeId, message: SwimMessage): void {
    todo(
      "5.4",
      `rules 1, 2, 5 and 6: handle a ${message.type} from ${from} and its piggybacked updates`,
    );
  }
}
