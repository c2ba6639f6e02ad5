import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

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
  readonly #members = new Map<NodeId, { state: MemberState; incarnation: number }>();
  /** Updates still to pass on, one per member (the newest), with how often each was sent. */
  readonly #outbox = new Map<NodeId, { update: MemberUpdate; sends: number }>();
  /** Probes made on another member's behalf: my sequence → whose sequence to answer. */
  readonly #relays = new Map<
    number,
    { requester: NodeId; sequence: number; target: NodeId; atMs: number }
  >();
  #incarnation = 0;
  #sequence = 0;
  #probe: { target: NodeId; sequence: number; acked: boolean } | undefined;
  #order: NodeId[] = [];

  constructor(context: NodeContext<SwimMessage>) {
    this.#context = context;
  }

  /** This member's own incarnation number. */
  get incarnation(): number {
    return this.#incarnation;
  }

  /** What this member believes about `id`, or undefined for a member it has never heard of. */
  member(id: NodeId): { state: MemberState; incarnation: number } | undefined {
    const known = this.#members.get(id);
    return known === undefined ? undefined : { ...known };
  }

  onStart(): void {
    this.#incarnation = this.#context.storage.get<number>("incarnation") ?? 0;
    for (const peer of this.#context.peers)
      this.#members.set(peer, { state: "alive", incarnation: 0 });
    // Members started together would probe in lockstep; a random first delay spreads them out.
    this.#context.setTimer("period", this.#context.randomInt(1, swimSettings.periodMs));
  }

  onTimer(name: string): void {
    if (name === "period") this.#startPeriod();
    else if (name === "ping-timeout") this.#probeIndirectly();
    else if (name.startsWith("suspect:")) this.#suspicionExpired(name.slice("suspect:".length));
  }

  onMessage(from: NodeId, message: SwimMessage): void {
    for (const update of message.updates) this.#apply(update);
    if (message.type === "ping") {
      this.#send(from, { type: "ack", sequence: message.sequence, target: this.#context.id });
    } else if (message.type === "ping-req") {
      const sequence = ++this.#sequence;
      this.#relays.set(sequence, {
        requester: from,
        sequence: message.sequence,
        target: message.target,
        atMs: this.#context.monotonicNow(),
      });
      this.#send(message.target, { type: "ping", sequence });
    } else {
      const probe = this.#probe;
      if (probe !== undefined && probe.sequence === message.sequence) {
        if (message.target === probe.target) probe.acked = true;
        return;
      }
      const relay = this.#relays.get(message.sequence);
      if (relay !== undefined && relay.target === message.target) {
        this.#relays.delete(message.sequence);
        this.#send(relay.requester, {
          type: "ack",
          sequence: relay.sequence,
          target: relay.target,
        });
      }
    }
  }

  #startPeriod(): void {
    const previous = this.#probe;
    // Only a probe that got no answer at all, direct or indirect, raises a suspicion; a single
    // lost ping is far too common on a real network to mean anything more.
    if (previous !== undefined && !previous.acked) this.#suspect(previous.target);
    this.#probe = undefined;
    this.#forgetOldRelays();
    const target = this.#nextTarget();
    if (target !== undefined) {
      const sequence = ++this.#sequence;
      this.#probe = { target, sequence, acked: false };
      this.#send(target, { type: "ping", sequence });
      this.#context.setTimer("ping-timeout", swimSettings.pingTimeoutMs);
    }
    this.#context.setTimer("period", swimSettings.periodMs);
  }

  #probeIndirectly(): void {
    const probe = this.#probe;
    if (probe === undefined || probe.acked) return;
    const helpers = this.#shuffled(this.#liveMembers().filter((id) => id !== probe.target)).slice(
      0,
      swimSettings.indirectProbes,
    );
    for (const helper of helpers)
      this.#send(helper, { type: "ping-req", sequence: probe.sequence, target: probe.target });
  }

  /**
   * The next member to probe: a round-robin over a random permutation, reshuffled each pass, so
   * every member is probed within two passes (the paper's time-bounded completeness).
   */
  #nextTarget(): NodeId | undefined {
    while (this.#order.length > 0) {
      const next = this.#order.shift()!;
      if (this.#members.get(next)?.state !== "dead") return next;
    }
    this.#order = this.#shuffled(this.#liveMembers());
    return this.#order.shift();
  }

  #suspect(target: NodeId): void {
    const known = this.#members.get(target);
    if (known === undefined || known.state !== "alive") return;
    this.#context.note(`no ack from ${target}, direct or indirect: suspecting it`);
    this.#apply({ member: target, state: "suspect", incarnation: known.incarnation });
  }

  #suspicionExpired(member: NodeId): void {
    const known = this.#members.get(member);
    if (known?.state !== "suspect") return;
    this.#context.note(`${member} did not refute in time: declaring it dead`);
    this.#apply({ member, state: "dead", incarnation: known.incarnation });
  }

  /** Applies one piece of news by the override rules, and passes on what it accepted. */
  #apply(update: MemberUpdate): void {
    if (update.member === this.#context.id) {
      if (update.state === "suspect" && update.incarnation >= this.#incarnation) {
        // Refutation: only a higher incarnation can override a suspicion, and only this node
        // may raise its own incarnation.
        this.#incarnation = update.incarnation + 1;
        this.#context.storage.set("incarnation", this.#incarnation);
        this.#context.note(`refuting a suspicion with incarnation ${this.#incarnation}`);
        this.#enqueue({ member: update.member, state: "alive", incarnation: this.#incarnation });
      }
      return;
    }
    const known = this.#members.get(update.member);
    if (known !== undefined && !overrides(update, known)) return;
    this.#members.set(update.member, { state: update.state, incarnation: update.incarnation });
    if (update.state === "suspect")
      this.#context.setTimer(`suspect:${update.member}`, swimSettings.suspicionTimeoutMs);
    else this.#context.cancelTimer(`suspect:${update.member}`);
    this.#enqueue(update);
  }

  #enqueue(update: MemberUpdate): void {
    this.#outbox.set(update.member, { update, sends: 0 });
  }

  /** Sends `message` with the least-sent updates piggybacked on it. */
  #send(
    to: NodeId,
    message:
      | { type: "ping"; sequence: number }
      | { type: "ack"; sequence: number; target: NodeId }
      | { type: "ping-req"; sequence: number; target: NodeId },
  ): void {
    const limit = retransmitLimit(this.#context.peers.length + 1);
    const chosen = [...this.#outbox.values()]
      .sort((a, b) => a.sends - b.sends)
      .slice(0, swimSettings.piggybackMax);
    for (const entry of chosen) {
      entry.sends++;
      if (entry.sends >= limit) this.#outbox.delete(entry.update.member);
    }
    const updates = chosen.map((entry) => ({ ...entry.update }));
    // The suspect is the one member that must hear of a suspicion, and by the time it can (after
    // a pause, say) everyone may have stopped passing the news on.
    const known = this.#members.get(to);
    if (known?.state === "suspect" && !updates.some((update) => update.member === to))
      updates.unshift({ member: to, state: "suspect", incarnation: known.incarnation });
    this.#context.send(to, { ...message, updates });
  }

  #forgetOldRelays(): void {
    const nowMs = this.#context.monotonicNow();
    for (const [sequence, relay] of this.#relays)
      if (nowMs - relay.atMs > swimSettings.periodMs) this.#relays.delete(sequence);
  }

  #liveMembers(): NodeId[] {
    return [...this.#members].filter(([, known]) => known.state !== "dead").map(([id]) => id);
  }

  #shuffled(ids: NodeId[]): NodeId[] {
    const copy = [...ids];
    for (let index = copy.length - 1; index > 0; index--) {
      const other = this.#context.randomInt(0, index);
      [copy[index], copy[other]] = [copy[other]!, copy[index]!];
    }
    return copy;
  }
}

/** Whether `update` overrides what is `known` about the same member (rule 5). */
function overrides(
  update: MemberUpdate,
  known: { state: MemberState; incarnation: number },
): boolean {
  if (known.state === "dead") return false;
  if (update.state === "dead") return true;
  if (update.state === "alive") return update.incarnation > known.incarnation;
  return known.state === "alive"
    ? update.incarnation >= known.incarnation
    : update.incarnation > known.incarnation;
}
