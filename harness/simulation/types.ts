/** A node's name in a simulation, such as "n1". */
export type NodeId = string;

/**
 * Everything a simulated node may do. The harness owns time, randomness and the network, so a
 * node never touches a real clock, a real timer or a socket: that is what makes every run a
 * function of its seed, replayable event for event.
 */
export interface NodeContext<Message> {
  /** This node's name. */
  readonly id: NodeId;
  /** The other nodes added in the same `addNodes` call, in the order they were given. */
  readonly peers: readonly NodeId[];
  /**
   * Sends a copy of `message` to `to`. The network may delay, drop, duplicate or reorder it.
   * Messages must be plain data (objects, arrays, strings, finite numbers, booleans, null),
   * because they cross a wire: a class instance, Map, Set, Date or function is an error.
   */
  send(to: NodeId, message: Message): void;
  /** Sends a copy of `message` to every peer. */
  broadcast(message: Message): void;
  /**
   * Calls `onTimer(name)` after `delayMs` of this node's own (drifting) time. Setting a timer
   * that is already set moves it: there is at most one timer per name.
   */
  setTimer(name: string, delayMs: number): void;
  /** Cancels the timer `name`; cancelling a timer that is not set does nothing. */
  cancelTimer(name: string): void;
  /** Whether the timer `name` is set and has not fired yet. */
  hasTimer(name: string): boolean;
  /**
   * This node's time-of-day clock in milliseconds: the one `Date.now()` reads on a real
   * machine. It may be offset from true time, run fast or slow, and jump forwards or backwards.
   */
  now(): number;
  /**
   * Milliseconds since this node last started, by a clock that may run fast or slow but never
   * jumps: the one `performance.now()` reads. Use it to measure intervals.
   */
  monotonicNow(): number;
  /** A deterministic random number in [0, 1) from this node's own seeded stream. */
  random(): number;
  /** A deterministic random integer between `min` and `max`, both included. */
  randomInt(min: number, max: number): number;
  /** Storage that survives a crash; everything else the node holds is lost on a crash. */
  readonly storage: DurableStorage;
  /** Writes a line into the simulation's trace, to explain what the node decided and why. */
  note(text: string): void;
}

/** A node's disk: values are copied in and out, so only what was `set` survives a crash. */
export interface DurableStorage {
  /** The value stored under `key`, or undefined if none was ever stored. */
  get<Value>(key: string): Value | undefined;
  /** Stores a copy of `value` (plain data only) under `key`, durably. */
  set(key: string, value: unknown): void;
  delete(key: string): void;
  keys(): string[];
}

/**
 * A node is a state machine: it reacts to being started, to a message and to a timer, and acts
 * only through the context it was created with. Restarting a node creates a fresh instance, so
 * any state kept in fields is lost unless it was written to `context.storage`.
 */
export interface SimulatedNode<Message> {
  /** Runs when the node starts and after every restart. */
  onStart?(): void;
  /** Runs when a message from `from` is delivered. */
  onMessage(from: NodeId, message: Message): void;
  /** Runs when the timer `name` fires. */
  onTimer?(name: string): void;
}

/** Creates a node; called on start and again, with the same durable storage, on every restart. */
export type NodeFactory<Message, Node extends SimulatedNode<Message>> = (
  context: NodeContext<Message>,
) => Node;

/** An inclusive range of milliseconds. */
export interface RangeMs {
  min: number;
  max: number;
}

/** How messages travel on a link. Each field is independent of the others. */
export interface LinkOptions {
  /**
   * How long a message takes, drawn uniformly per message (in whole milliseconds when both
   * bounds are whole). Any spread reorders messages, as a real network does.
   * @default { min: 1, max: 10 }
   */
  latencyMs: RangeMs;
  /** The chance, from 0 to 1, that a message is lost. @default 0 */
  lossRate: number;
  /** The chance, from 0 to 1, that a message is delivered twice. @default 0 */
  duplicateRate: number;
}

/** How each node's clocks start out, drawn per node from the seed. */
export interface ClockOptions {
  /** The largest distance, either way, between a node's time-of-day clock and true time at the start. @default 0 */
  offsetMsMax: number;
  /** The largest rate error, either way, in parts per million (real quartz: 10 to 100 ppm). @default 0 */
  driftPpmMax: number;
}

export interface SimulationOptions {
  /** Every random choice in the run follows from it; the same seed gives the same run. */
  seed: number;
  /** Network defaults for every link; `setLink` overrides a single link. */
  network?: Partial<LinkOptions>;
  clocks?: Partial<ClockOptions>;
  /**
   * How many events a simulation may process before it stops with an error: a bound that turns
   * a livelock or message storm into a message instead of a hang.
   * @default 1_000_000
   */
  stepsMax?: number;
  /**
   * How many recent trace events to keep for error messages, or "all" to keep the whole trace
   * (for `trace()` and `traceText()` of a whole run).
   * @default 200
   */
  traceKeep?: number | "all";
  /** A name for the run, printed in errors. @default "simulation" */
  name?: string;
  /**
   * Keep each node's public state (its getters) after every event that changes it, in the
   * trace document, for the space-time viewer. Costs a read of every getter per event.
   * @default true while `workbook trace` records the run, false otherwise
   */
  recordNodeState?: boolean;
}
