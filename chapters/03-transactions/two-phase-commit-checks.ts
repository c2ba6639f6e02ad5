import { observeSends } from "../../harness/index.js";
import type {
  DurableStorage,
  LinkOptions,
  NodeContext,
  NodeId,
  SimulatedNode,
} from "../../harness/index.js";
import { Simulation } from "../../harness/index.js";
import {
  Coordinator,
  Participant,
  type CommitMessage,
  type ParticipantOptions,
  type ParticipantStatus,
  type TransactionId,
  type Write,
} from "./two-phase-commit.js";

// Test support for exercises 3.1 and 3.2: the stand-ins the tests drive by hand, the client that
// records outcomes, and the checks run after every event. You do not need to change anything here.

/** How long the test client waits for an outcome before it records "unknown". */
export const clientTimeoutMs = 2_000;

/** One transaction as the client saw it: ok (committed), fail (aborted) or unknown (no answer). */
export interface ClientRecord {
  transaction: TransactionId;
  outcome: "ok" | "fail" | "unknown";
  callMs: number;
  returnMs: number;
}

/** One message a node handed to its context, recorded before the network saw it. */
export interface SentMessage {
  from: NodeId;
  to: NodeId;
  message: CommitMessage;
  timeMs: number;
}

/**
 * A stand-in the tests drive by hand: it sends exactly what a test tells it to and keeps every
 * message it receives, so a test can play coordinator against a real participant, or
 * participants against a real coordinator.
 */
export class ProbeNode implements SimulatedNode<CommitMessage> {
  readonly received: Array<{ from: NodeId; message: CommitMessage }> = [];
  readonly #context: NodeContext<CommitMessage>;

  constructor(context: NodeContext<CommitMessage>) {
    this.#context = context;
  }

  send(to: NodeId, message: CommitMessage): void {
    this.#context.send(to, message);
  }

  onMessage(from: NodeId, message: CommitMessage): void {
    this.received.push({ from, message });
  }

  /** The messages of `type` about `transaction` this probe received, oldest first. */
  receivedOf(type: CommitMessage["type"], transaction?: TransactionId): CommitMessage[] {
    return this.received
      .map((received) => received.message)
      .filter(
        (message) =>
          message.type === type &&
          (transaction === undefined || message.transaction === transaction),
      );
  }
}

/** The test client: sends `begin` once per transaction and records what it heard, and when. */
export class ClientNode implements SimulatedNode<CommitMessage> {
  readonly history: ClientRecord[] = [];
  readonly #context: NodeContext<CommitMessage>;
  readonly #nowMs: () => number;
  readonly #coordinator: NodeId;
  readonly #pending = new Map<TransactionId, number>();

  constructor(context: NodeContext<CommitMessage>, coordinator: NodeId, nowMs: () => number) {
    this.#context = context;
    this.#coordinator = coordinator;
    this.#nowMs = nowMs;
  }

  begin(transaction: TransactionId, writes: Record<NodeId, Write[]>): void {
    this.#pending.set(transaction, this.#nowMs());
    this.#context.send(this.#coordinator, { type: "begin", transaction, writes });
    this.#context.setTimer(transaction, clientTimeoutMs);
  }

  onMessage(_from: NodeId, message: CommitMessage): void {
    if (message.type !== "outcome") return;
    this.#finish(message.transaction, message.outcome === "committed" ? "ok" : "fail");
  }

  onTimer(transaction: string): void {
    // No answer in time: the transaction may have committed or not. Calling it failed would be
    // a lie if the commit decision was already logged.
    this.#finish(transaction, "unknown");
  }

  #finish(transaction: TransactionId, outcome: ClientRecord["outcome"]): void {
    const callMs = this.#pending.get(transaction);
    if (callMs === undefined) return;
    this.#pending.delete(transaction);
    this.#context.cancelTimer(transaction);
    this.history.push({ transaction, outcome, callMs, returnMs: this.#nowMs() });
  }
}

/** A durable storage that lives in a Map, for the copy a "crash right now" check restores from. */
function copyOfStorage(storage: DurableStorage): DurableStorage {
  const values = new Map<string, string>();
  for (const key of storage.keys()) values.set(key, JSON.stringify(storage.get(key)));
  return {
    get: <Value>(key: string) => {
      const text = values.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as Value);
    },
    set: (key, value) => void values.set(key, JSON.stringify(value)),
    delete: (key) => void values.delete(key),
    keys: () => [...values.keys()],
  };
}

/**
 * What a node would remember if it crashed at this very moment: a fresh instance built on a
 * copy of its storage, started, with its sends and timers going nowhere. A node that writes its
 * log after the message that depends on it is caught here, even though in the simulation both
 * happen in one event.
 */
export function restoredNow<Node extends SimulatedNode<CommitMessage>>(
  context: NodeContext<CommitMessage>,
  make: (context: NodeContext<CommitMessage>) => Node,
): Node {
  const storage = copyOfStorage(context.storage);
  const silent: NodeContext<CommitMessage> = {
    id: context.id,
    peers: context.peers,
    send: () => {},
    broadcast: () => {},
    setTimer: () => {},
    cancelTimer: () => {},
    hasTimer: () => false,
    now: () => context.now(),
    monotonicNow: () => 0,
    random: () => 0.5,
    randomInt: (min) => min,
    storage,
    note: () => {},
  };
  const node = make(silent);
  node.onStart?.();
  return node;
}

/** A context that records every message its node sends, and lets a check look at it first. */
function recording(
  context: NodeContext<CommitMessage>,
  sent: SentMessage[],
  nowMs: () => number,
  beforeSend: (to: NodeId, message: CommitMessage) => void,
): NodeContext<CommitMessage> {
  const record = (to: NodeId, message: CommitMessage): void => {
    beforeSend(to, message);
    sent.push({ from: context.id, to, message, timeMs: nowMs() });
  };
  return observeSends(context, record);
}

export interface CommitClusterOptions {
  seed: number;
  name: string;
  /** How many participants, p1, p2, …  @default 3 */
  participantCount?: number;
  /** Replace the real coordinator by a probe, to test participants rule by rule. */
  probeCoordinator?: boolean;
  /** Replace the real participants by probes, to test the coordinator rule by rule. */
  probeParticipants?: boolean;
  /** Every participant starts with these balances. @default { x: 100, y: 100 } */
  balances?: Record<string, number>;
  /** Exercise 3.2: participants run the termination protocol. */
  termination?: boolean;
  network?: Partial<LinkOptions>;
}

/**
 * A coordinator, participants p1…pN and a client, each node either real or a probe, with the
 * checks of two-phase commit run after every event.
 */
export function commitCluster(options: CommitClusterOptions) {
  const participants = Array.from(
    { length: options.participantCount ?? 3 },
    (_, index) => `p${index + 1}`,
  );
  const coordinatorId = "coordinator";
  const simulation = new Simulation<CommitMessage>({
    seed: options.seed,
    name: options.name,
    network: { latencyMs: { min: 1, max: 10 }, ...options.network },
  });
  const nowMs = () => simulation.nowMs;
  const sent: SentMessage[] = [];
  const problems: string[] = [];
  const participantOptions: ParticipantOptions = {
    balances: options.balances ?? { x: 100, y: 100 },
    termination: options.termination ?? false,
  };
  const makeParticipant = (context: NodeContext<CommitMessage>) =>
    new Participant(context, participantOptions);
  const makeCoordinator = (context: NodeContext<CommitMessage>) => new Coordinator(context);

  const checkCoordinatorSend = (context: NodeContext<CommitMessage>) => {
    return (to: NodeId, message: CommitMessage) => {
      const committing =
        message.type === "commit" ||
        (message.type === "outcome" && message.outcome === "committed");
      if (!committing) return;
      // Once every participant has committed, nobody depends on the record any more: the
      // coordinator may forget it and still answer from memory.
      const members = transactions.get(message.transaction) ?? [];
      const everyoneCommitted =
        members.length > 0 &&
        members.every((member) =>
          statusEver.get(message.transaction)?.get(member)?.has("committed"),
        );
      if (everyoneCommitted) return;
      const restored = restoredNow(context, makeCoordinator);
      if (restored.decision(message.transaction) !== "commit") {
        const what = message.type === "commit" ? `sent COMMIT to ${to}` : `told ${to} "committed"`;
        problems.push(
          `the coordinator ${what} for ${message.transaction} before its commit decision was durable: ` +
            `a coordinator restarted from its storage at that moment does not know it decided commit ` +
            `(write the decision to context.storage before sending anything that depends on it)`,
        );
      }
    };
  };
  const checkParticipantSend = (context: NodeContext<CommitMessage>) => {
    return (to: NodeId, message: CommitMessage) => {
      if (message.type !== "vote" || message.vote !== "yes") return;
      const restored = restoredNow(context, makeParticipant);
      const status = restored.status(message.transaction);
      if (status !== "prepared" && status !== "committed") {
        problems.push(
          `${context.id} voted yes on ${message.transaction} before "prepared" was durable: restarted from ` +
            `its storage at that moment it reports ${status ?? "no record"}, so it could not keep its ` +
            `promise to commit (write the prepared record to context.storage before the vote)`,
        );
      }
    };
  };

  const coordinatorGroup = simulation.addNodes([coordinatorId], (context) => {
    const wrapped = recording(
      context,
      sent,
      nowMs,
      options.probeCoordinator === true ? () => {} : checkCoordinatorSend(context),
    );
    return options.probeCoordinator === true ? new ProbeNode(wrapped) : makeCoordinator(wrapped);
  });
  const participantGroup = simulation.addNodes(participants, (context) => {
    const wrapped = recording(
      context,
      sent,
      nowMs,
      options.probeParticipants === true ? () => {} : checkParticipantSend(context),
    );
    return options.probeParticipants === true ? new ProbeNode(wrapped) : makeParticipant(wrapped);
  });
  simulation.addNodes(
    ["client"],
    (context) =>
      new ClientNode(
        recording(context, sent, nowMs, () => {}),
        coordinatorId,
        nowMs,
      ),
  );
  // The client sends each begin once, on a link that does not duplicate: a transaction runs once.
  simulation.setLink("client", coordinatorId, { duplicateRate: 0 });

  const client = () => simulation.node<ClientNode>("client")!;
  const coordinator = () => coordinatorGroup.node(coordinatorId) as Coordinator | undefined;
  const participant = (id: NodeId) => participantGroup.node(id) as Participant | undefined;
  const probe = (id: NodeId) => simulation.node<ProbeNode>(id)!;

  /** Every transaction the test started or a probe mentioned, with its participants. */
  const transactions = new Map<TransactionId, NodeId[]>();
  /** What each participant has ever reported for each transaction, across restarts. */
  const statusEver = new Map<TransactionId, Map<NodeId, Set<ParticipantStatus>>>();
  /** What the coordinator has ever reported it decided, across restarts. */
  const decisionEver = new Map<TransactionId, Set<string>>();
  let checkedSends = 0;
  let observedAtStep = -1;

  const observe = (): void => {
    if (observedAtStep === simulation.steps) return;
    observedAtStep = simulation.steps;
    for (const transaction of transactions.keys()) {
      if (options.probeParticipants !== true) {
        let byParticipant = statusEver.get(transaction);
        if (byParticipant === undefined) {
          byParticipant = new Map();
          statusEver.set(transaction, byParticipant);
        }
        for (const id of participantGroup.liveIds()) {
          const status = participant(id)!.status(transaction);
          if (status === undefined) continue;
          let seen = byParticipant.get(id);
          if (seen === undefined) {
            seen = new Set();
            byParticipant.set(id, seen);
          }
          seen.add(status);
        }
      }
      if (options.probeCoordinator !== true && simulation.isUp(coordinatorId)) {
        const decision = coordinator()!.decision(transaction);
        if (decision !== undefined) {
          let seen = decisionEver.get(transaction);
          if (seen === undefined) {
            seen = new Set();
            decisionEver.set(transaction, seen);
          }
          seen.add(decision);
        }
      }
    }
  };

  simulation.addInvariant("every log write comes before the message that depends on it", () => {
    if (problems.length > 0) return problems[0];
  });

  simulation.addInvariant("no participant commits while another aborts", () => {
    observe();
    for (const [transaction, byParticipant] of statusEver) {
      const committed = [...byParticipant].filter(([, seen]) => seen.has("committed"));
      const aborted = [...byParticipant].filter(([, seen]) => seen.has("aborted"));
      for (const [id, seen] of byParticipant) {
        if (seen.has("committed") && seen.has("aborted"))
          return `${id} both committed and aborted ${transaction}: a participant's outcome must never change, even across restarts`;
      }
      if (committed.length > 0 && aborted.length > 0)
        return `${transaction} committed at ${committed.map(([id]) => id).join(", ")} but aborted at ${aborted.map(([id]) => id).join(", ")}: atomicity means all or none`;
    }
  });

  simulation.addInvariant("a decision, once made, never changes", () => {
    observe();
    for (const [transaction, seen] of decisionEver) {
      if (seen.size > 1)
        return `the coordinator reported both commit and abort for ${transaction} (across its restarts): a decision, once made, is final`;
    }
  });

  simulation.addInvariant("the coordinator commits only if every participant voted yes", () => {
    for (; checkedSends < sent.length; checkedSends++) {
      const { from, message } = sent[checkedSends]!;
      if (from !== coordinatorId || options.probeCoordinator === true) continue;
      if (message.type !== "commit" && message.type !== "abort") continue;
      const transaction = message.transaction;
      const opposite = message.type === "commit" ? "abort" : "commit";
      const contradicted = sent.some(
        (earlier, index) =>
          index < checkedSends &&
          earlier.from === coordinatorId &&
          earlier.message.type === opposite &&
          earlier.message.transaction === transaction,
      );
      if (contradicted)
        return `the coordinator sent ${message.type.toUpperCase()} for ${transaction} after it had sent ${opposite.toUpperCase()} for it: a decision, once made, never changes (after a restart, a transaction with no logged commit is aborted)`;
      if (message.type !== "commit") continue;
      const members = transactions.get(transaction) ?? [];
      const missing = members.filter(
        (member) =>
          !sent.some(
            (earlier) =>
              earlier.from === member &&
              earlier.to === coordinatorId &&
              earlier.message.type === "vote" &&
              earlier.message.transaction === transaction &&
              earlier.message.vote === "yes",
          ),
      );
      if (missing.length > 0)
        return `the coordinator sent COMMIT for ${transaction}, but ${missing.join(", ")} never voted yes on it: a missing vote is not a yes`;
    }
  });

  simulation.addInvariant(
    "the client hears aborted only for a transaction that never commits",
    () => {
      observe();
      for (const record of client().history) {
        if (record.outcome !== "fail") continue;
        const byParticipant = statusEver.get(record.transaction);
        const committed = [...(byParticipant ?? [])].filter(([, seen]) => seen.has("committed"));
        if (committed.length > 0)
          return `the client was told ${record.transaction} aborted, but it committed at ${committed.map(([id]) => id).join(", ")}: say "aborted" only when the transaction can no longer commit`;
      }
    },
  );

  simulation.addInvariant("no balance goes below zero", () => {
    if (options.probeParticipants === true) return;
    for (const id of participantGroup.liveIds()) {
      for (const account of Object.keys(participantOptions.balances)) {
        const balance = participant(id)!.balance(account);
        if (balance < 0)
          return `${id}'s account ${account} is at ${balance}: a participant must vote no on a withdrawal it cannot cover`;
      }
    }
  });

  /** The client begins `transaction`, remembering which participants it spans. */
  const begin = (transaction: TransactionId, writes: Record<NodeId, Write[]>): void => {
    transactions.set(transaction, Object.keys(writes).sort());
    simulation.act<ClientNode>("client", `begin ${transaction}`, (node) =>
      node.begin(transaction, writes),
    );
  };
  /** Node `from` (a probe) sends `message` to `to`; then the network gets 20 ms to deliver it. */
  const send = (from: NodeId, to: NodeId, message: CommitMessage): void => {
    if (message.type === "prepare" && !transactions.has(message.transaction))
      transactions.set(message.transaction, message.participants);
    simulation.act<ProbeNode>(from, `${from} sends ${message.type} → ${to}`, (node) =>
      node.send(to, message),
    );
    simulation.runFor(20);
  };
  /** The messages nodes sent, for counting. */
  const messages = () => sent;
  /** The statuses each live participant reports for `transaction`. */
  const statuses = (transaction: TransactionId) =>
    participants.map((id) =>
      simulation.isUp(id) ? participant(id)!.status(transaction) : "(down)",
    );
  /** Every participant of `transaction` is up and none is still in doubt (prepared). */
  const settled = (transaction: TransactionId) =>
    (transactions.get(transaction) ?? participants).every(
      (id) => simulation.isUp(id) && participant(id)!.status(transaction) !== "prepared",
    );

  return {
    simulation,
    participants,
    coordinatorId,
    client,
    coordinator,
    participant,
    probe,
    begin,
    send,
    messages,
    statuses,
    settled,
  };
}

/** A transfer of `amount` from account x at `source` to account y at `target`. */
export function transfer(source: NodeId, target: NodeId, amount: number): Record<NodeId, Write[]> {
  return {
    [source]: [{ account: "x", amount: -amount }],
    [target]: [{ account: "y", amount }],
  };
}
