import type { NodeContext, NodeId, SimulatedNode } from "../../harness/index.js";

/**
 * Exercise 3.1 — two-phase commit with a durable log (Gray 1978), in its presumed-abort form.
 * Exercise 3.2 adds the cooperative termination protocol to the participant.
 *
 * A client asks the coordinator to run a transaction: a list of balance changes at each of
 * several participants. The coordinator asks every participant to prepare (phase one); each
 * votes yes only once it has made its changes durable and locked its accounts, so that it can
 * commit whatever happens to it next. With a yes from every participant the coordinator logs
 * COMMIT and tells them all (phase two); any no, or a vote that does not come, aborts.
 */

export type TransactionId = string;

/** One change at one participant: add `amount` (negative to withdraw) to `account`'s balance. */
export interface Write {
  account: string;
  amount: number;
}

/** What the coordinator decided. */
export type Decision = "commit" | "abort";

/** Where a participant stands in one transaction. */
export type ParticipantStatus = "prepared" | "committed" | "aborted";

/** What a participant tells a peer that asks about a transaction (exercise 3.2). */
export type PeerAnswer = "committed" | "aborted" | "prepared";

export type CommitMessage =
  /** Client → coordinator: run this transaction; `writes` says what changes at which participant. */
  | { type: "begin"; transaction: TransactionId; writes: Record<NodeId, Write[]> }
  /** Coordinator → client: the outcome, sent only once it is final. */
  | { type: "outcome"; transaction: TransactionId; outcome: "committed" | "aborted" }
  /** Phase 1, coordinator → participant: prepare these writes; `participants` names them all. */
  | { type: "prepare"; transaction: TransactionId; writes: Write[]; participants: NodeId[] }
  /** Phase 1, participant → coordinator. */
  | { type: "vote"; transaction: TransactionId; vote: "yes" | "no" }
  /** Phase 2, coordinator → participant. */
  | { type: "commit"; transaction: TransactionId }
  | { type: "abort"; transaction: TransactionId }
  /** Participant → coordinator: the decision is applied; the coordinator may stop re-sending it. */
  | { type: "ack"; transaction: TransactionId }
  /** An in-doubt participant → coordinator: what did you decide? */
  | { type: "query"; transaction: TransactionId }
  /** Exercise 3.2: an in-doubt participant → another participant of the transaction. */
  | { type: "peer-query"; transaction: TransactionId }
  /** Exercise 3.2: the answer, from what that participant knows; a peer that never voted refuses. */
  | { type: "peer-answer"; transaction: TransactionId; answer: PeerAnswer };

/** How long the coordinator waits for votes before it treats the missing ones as no. */
const voteTimeoutMs = 300;
/** How often the coordinator re-sends a decision not yet acknowledged, and a prepared participant asks. */
const retryMs = 100;

/** What the coordinator keeps about a transaction it is running or has decided. */
interface CoordinatorRecord {
  participants: NodeId[];
  client: NodeId;
  decision: Decision | undefined;
  votes: Set<NodeId>;
  acknowledged: Set<NodeId>;
}

/** The commit record the coordinator writes to its log before it tells anybody "commit". */
interface LoggedCommit {
  participants: NodeId[];
  client: NodeId;
}

const commitKey = (transaction: TransactionId): string => `commit:${transaction}`;

export class Coordinator implements SimulatedNode<CommitMessage> {
  readonly #context: NodeContext<CommitMessage>;
  readonly #transactions = new Map<TransactionId, CoordinatorRecord>();

  constructor(context: NodeContext<CommitMessage>) {
    this.#context = context;
  }

  /** What this coordinator has decided for `transaction`; undefined if it knows no decision. */
  decision(transaction: TransactionId): Decision | undefined {
    return this.#transactions.get(transaction)?.decision;
  }

  onStart(): void {
    // Presumed abort: only commits are logged. A transaction that was collecting votes when the
    // coordinator crashed has no record, so it is aborted: its prepared participants will ask,
    // and hear "abort". A logged commit is re-sent until every participant acknowledges it.
    for (const key of this.#context.storage.keys()) {
      if (!key.startsWith("commit:")) continue;
      const transaction = key.slice("commit:".length);
      const logged = this.#context.storage.get<LoggedCommit>(key)!;
      this.#transactions.set(transaction, {
        participants: logged.participants,
        client: logged.client,
        decision: "commit",
        votes: new Set(logged.participants),
        acknowledged: new Set(),
      });
      this.#sendDecision(transaction);
    }
  }

  onMessage(from: NodeId, message: CommitMessage): void {
    switch (message.type) {
      case "begin":
        return this.#begin(from, message.transaction, message.writes);
      case "vote":
        return this.#onVote(from, message.transaction, message.vote);
      case "ack":
        return this.#onAck(from, message.transaction);
      case "query":
        return this.#onQuery(from, message.transaction);
      default:
        return; // Messages for participants or clients are none of the coordinator's business.
    }
  }

  onTimer(name: string): void {
    const [kind, transaction] = splitTimer(name);
    const record = this.#transactions.get(transaction);
    if (record === undefined) return;
    if (kind === "votes" && record.decision === undefined) {
      // A vote that has not come is a no: the participant may have crashed before preparing.
      this.#context.note(`${transaction}: votes missing after ${voteTimeoutMs} ms, aborting`);
      this.#decide(transaction, "abort");
    } else if (kind === "resend" && record.decision === "commit") {
      this.#sendDecision(transaction);
    }
  }

  #begin(client: NodeId, transaction: TransactionId, writes: Record<NodeId, Write[]>): void {
    const known = this.#transactions.get(transaction);
    if (known !== undefined) {
      // A transaction runs once; a repeated begin hears the outcome if there is one.
      if (known.decision !== undefined) this.#tellClient(transaction, client, known.decision);
      return;
    }
    const participants = Object.keys(writes).sort();
    this.#transactions.set(transaction, {
      participants,
      client,
      decision: undefined,
      votes: new Set(),
      acknowledged: new Set(),
    });
    for (const participant of participants) {
      this.#context.send(participant, {
        type: "prepare",
        transaction,
        writes: writes[participant]!,
        participants,
      });
    }
    this.#context.setTimer(`votes:${transaction}`, voteTimeoutMs);
  }

  #onVote(from: NodeId, transaction: TransactionId, vote: "yes" | "no"): void {
    const record = this.#transactions.get(transaction);
    // A vote for a transaction already decided, or unknown, or from a stranger changes nothing.
    if (record === undefined || record.decision !== undefined) return;
    if (!record.participants.includes(from)) return;
    if (vote === "no") return this.#decide(transaction, "abort");
    // Votes are counted by participant, so a duplicated yes is still one yes.
    record.votes.add(from);
    if (record.participants.every((participant) => record.votes.has(participant))) {
      this.#decide(transaction, "commit");
    }
  }

  #decide(transaction: TransactionId, decision: Decision): void {
    const record = this.#transactions.get(transaction)!;
    if (decision === "commit") {
      // The decision point: once this write is durable the transaction commits, whatever fails
      // next. It must come before any COMMIT leaves, or a crash could leave some participants
      // committed and a restarted coordinator presuming abort for the others.
      const logged: LoggedCommit = { participants: record.participants, client: record.client };
      this.#context.storage.set(commitKey(transaction), logged);
    }
    record.decision = decision;
    this.#context.cancelTimer(`votes:${transaction}`);
    this.#context.note(`${transaction}: decided ${decision}`);
    this.#sendDecision(transaction);
    this.#tellClient(transaction, record.client, decision);
  }

  #sendDecision(transaction: TransactionId): void {
    const record = this.#transactions.get(transaction)!;
    const decision = record.decision!;
    for (const participant of record.participants) {
      if (!record.acknowledged.has(participant))
        this.#context.send(participant, { type: decision, transaction });
    }
    // An abort is sent once: a participant that misses it asks, and presumed abort answers. A
    // commit is re-sent until acknowledged, because its participants are holding locks.
    if (decision === "commit") this.#context.setTimer(`resend:${transaction}`, retryMs);
  }

  #tellClient(transaction: TransactionId, client: NodeId, decision: Decision): void {
    this.#context.send(client, {
      type: "outcome",
      transaction,
      outcome: decision === "commit" ? "committed" : "aborted",
    });
  }

  #onAck(from: NodeId, transaction: TransactionId): void {
    const record = this.#transactions.get(transaction);
    if (record === undefined || record.decision !== "commit") return;
    record.acknowledged.add(from);
    if (record.participants.every((participant) => record.acknowledged.has(participant))) {
      // Every participant has applied the commit, so nobody will ever ask again: the log record
      // may go. (A late duplicate query would hear "abort", which a committed participant ignores.)
      this.#context.cancelTimer(`resend:${transaction}`);
      this.#context.storage.delete(commitKey(transaction));
    }
  }

  #onQuery(from: NodeId, transaction: TransactionId): void {
    const record = this.#transactions.get(transaction);
    if (record !== undefined && record.decision === undefined) return; // still collecting votes
    // Presumed abort: no record of a commit means the transaction did not commit.
    const decision = record?.decision ?? "abort";
    this.#context.send(from, { type: decision, transaction });
  }
}

/** Options for a participant: the balances its accounts start with, the first time it starts. */
export interface ParticipantOptions {
  balances: Record<string, number>;
  /** Exercise 3.2: ask the other participants when the coordinator does not answer. @default false */
  termination?: boolean;
}

/** What a participant logs about a transaction. */
interface ParticipantRecord {
  status: ParticipantStatus;
  writes: Write[];
  coordinator: NodeId;
  participants: NodeId[];
}

const transactionKey = (transaction: TransactionId): string => `transaction:${transaction}`;
const balanceKey = (account: string): string => `balance:${account}`;

export class Participant implements SimulatedNode<CommitMessage> {
  readonly #context: NodeContext<CommitMessage>;
  readonly #options: ParticipantOptions;
  /** Every account locked by a prepared transaction, and which transaction holds it. */
  readonly #locks = new Map<string, TransactionId>();

  constructor(context: NodeContext<CommitMessage>, options: ParticipantOptions) {
    this.#context = context;
    this.#options = options;
  }

  /** The committed balance of `account` (0 for an account this participant has never seen). */
  balance(account: string): number {
    return this.#context.storage.get<number>(balanceKey(account)) ?? 0;
  }

  /** Where this participant stands in `transaction`; undefined if it has no record of it. */
  status(transaction: TransactionId): ParticipantStatus | undefined {
    return this.#record(transaction)?.status;
  }

  /** The accounts locked right now, each with the transaction holding it. */
  get locks(): ReadonlyMap<string, TransactionId> {
    return this.#locks;
  }

  onStart(): void {
    const storage = this.#context.storage;
    if (storage.get<boolean>("initialized") !== true) {
      for (const [account, balance] of Object.entries(this.#options.balances))
        storage.set(balanceKey(account), balance);
      storage.set("initialized", true);
    }
    // A prepared transaction survives a crash with its locks: this participant promised to
    // commit it if asked, so it takes the locks back and asks what was decided.
    for (const key of storage.keys()) {
      if (!key.startsWith("transaction:")) continue;
      const transaction = key.slice("transaction:".length);
      const record = storage.get<ParticipantRecord>(key)!;
      if (record.status !== "prepared") continue;
      for (const write of record.writes) this.#locks.set(write.account, transaction);
      this.#askForOutcome(transaction);
    }
  }

  onMessage(from: NodeId, message: CommitMessage): void {
    switch (message.type) {
      case "prepare":
        return this.#onPrepare(from, message.transaction, message.writes, message.participants);
      case "commit":
      case "abort":
        return this.#onDecision(from, message.transaction, message.type);
      case "peer-query":
        return this.#onPeerQuery(from, message.transaction);
      case "peer-answer":
        return this.#onPeerAnswer(message.transaction, message.answer);
      default:
        return;
    }
  }

  onTimer(name: string): void {
    const [kind, transaction] = splitTimer(name);
    if (kind === "ask" && this.status(transaction) === "prepared") this.#askForOutcome(transaction);
  }

  #record(transaction: TransactionId): ParticipantRecord | undefined {
    return this.#context.storage.get<ParticipantRecord>(transactionKey(transaction));
  }

  #onPrepare(
    coordinator: NodeId,
    transaction: TransactionId,
    writes: Write[],
    participants: NodeId[],
  ): void {
    const known = this.#record(transaction);
    if (known !== undefined) {
      // A duplicate or late prepare: repeat the vote already given, and take no new locks.
      const vote = known.status === "aborted" ? "no" : "yes";
      this.#context.send(coordinator, { type: "vote", transaction, vote });
      return;
    }
    const refusal = this.#refusal(transaction, writes);
    if (refusal !== undefined) {
      // A no vote lets this participant abort at once: the coordinator cannot commit without it.
      this.#context.note(`${transaction}: voting no, ${refusal}`);
      this.#context.storage.set(transactionKey(transaction), {
        status: "aborted",
        writes,
        coordinator,
        participants,
      } satisfies ParticipantRecord);
      this.#context.send(coordinator, { type: "vote", transaction, vote: "no" });
      return;
    }
    // The forced write of phase one: "prepared" must be durable before the yes leaves, because
    // a yes is a promise to commit even after a crash.
    this.#context.storage.set(transactionKey(transaction), {
      status: "prepared",
      writes,
      coordinator,
      participants,
    } satisfies ParticipantRecord);
    for (const write of writes) this.#locks.set(write.account, transaction);
    this.#context.send(coordinator, { type: "vote", transaction, vote: "yes" });
    this.#context.setTimer(`ask:${transaction}`, retryMs);
  }

  /** Why this participant cannot promise to commit `writes`, or undefined if it can. */
  #refusal(transaction: TransactionId, writes: Write[]): string | undefined {
    const change = new Map<string, number>();
    for (const write of writes) {
      const holder = this.#locks.get(write.account);
      if (holder !== undefined && holder !== transaction)
        return `${write.account} is locked by ${holder}`;
      change.set(write.account, (change.get(write.account) ?? 0) + write.amount);
    }
    for (const [account, amount] of change) {
      if (this.balance(account) + amount < 0)
        return `${account} has ${this.balance(account)}, not enough for ${amount}`;
    }
    return undefined;
  }

  #onDecision(from: NodeId, transaction: TransactionId, decision: Decision): void {
    const record = this.#record(transaction);
    // Only a prepared transaction can be decided. A decision for a transaction already decided
    // is a duplicate or a late message: apply nothing, but acknowledge a commit again, since the
    // coordinator keeps re-sending until it hears the acknowledgement.
    if (record === undefined) return;
    if (record.status !== "prepared") {
      if (record.status === "committed" && decision === "commit")
        this.#context.send(record.coordinator, { type: "ack", transaction });
      return;
    }
    if (decision === "commit") {
      for (const write of record.writes)
        this.#context.storage.set(
          balanceKey(write.account),
          this.balance(write.account) + write.amount,
        );
    }
    this.#context.storage.set(transactionKey(transaction), {
      ...record,
      status: decision === "commit" ? "committed" : "aborted",
    } satisfies ParticipantRecord);
    for (const write of record.writes) {
      if (this.#locks.get(write.account) === transaction) this.#locks.delete(write.account);
    }
    this.#context.cancelTimer(`ask:${transaction}`);
    this.#context.note(`${transaction}: ${decision} (told by ${from})`);
    if (decision === "commit") this.#context.send(record.coordinator, { type: "ack", transaction });
  }

  /**
   * In doubt: this participant voted yes and has no decision. It may not decide alone, so it
   * asks the coordinator, and keeps asking.
   */
  #askForOutcome(transaction: TransactionId): void {
    const record = this.#record(transaction)!;
    this.#context.send(record.coordinator, { type: "query", transaction });
    if (this.#options.termination === true) {
      for (const peer of record.participants) {
        if (peer !== this.#context.id)
          this.#context.send(peer, { type: "peer-query", transaction });
      }
    }
    this.#context.setTimer(`ask:${transaction}`, retryMs);
  }

  #onPeerQuery(from: NodeId, transaction: TransactionId): void {
    if (this.#options.termination !== true) return;
    const record = this.#record(transaction);
    if (record === undefined) {
      // This participant never voted. Refusing now, durably, means it will vote no if the
      // prepare turns up later, so the coordinator cannot commit: the asker may abort.
      this.#context.storage.set(transactionKey(transaction), {
        status: "aborted",
        writes: [],
        coordinator: "",
        participants: [],
      } satisfies ParticipantRecord);
      this.#context.send(from, { type: "peer-answer", transaction, answer: "aborted" });
      return;
    }
    this.#context.send(from, { type: "peer-answer", transaction, answer: record.status });
  }

  #onPeerAnswer(transaction: TransactionId, answer: PeerAnswer): void {
    // Only what a peer knows settles the question; a peer that is prepared knows nothing more.
    if (this.#options.termination !== true || answer === "prepared") return;
    const record = this.#record(transaction);
    if (record?.status !== "prepared") return;
    this.#onDecision(record.coordinator, transaction, answer === "committed" ? "commit" : "abort");
  }
}

/** Timer names are `kind:transaction`; a transaction id may itself contain a colon. */
function splitTimer(name: string): [string, TransactionId] {
  const colon = name.indexOf(":");
  return [name.slice(0, colon), name.slice(colon + 1)];
}
