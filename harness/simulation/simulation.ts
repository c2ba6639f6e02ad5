import { InvariantViolation, NodeError, SimulationError, StepBudgetExceeded } from "./errors.js";
import { EventQueue } from "./event-queue.js";
import { installGuardRails } from "./guard-rails.js";
import { readNodeState, type NodeStateSnapshot } from "./node-state.js";
import { resetLoopGuard } from "./loop-guard.js";
import { MessageCounter, messageTypeOf, type NodeMessageCounts } from "./message-counts.js";
import { Network } from "./network.js";
import { NodeClock } from "./node-clock.js";
import { Random } from "./random.js";
import {
  formatTrace,
  noPayload,
  TraceRecorder,
  type TraceDocument,
  type TraceEvent,
  type TraceKind,
} from "./trace.js";
import type {
  ClockOptions,
  DurableStorage,
  LinkOptions,
  NodeContext,
  NodeFactory,
  NodeId,
  SimulatedNode,
  SimulationOptions,
} from "./types.js";
import { clonePlainData, copyPlainData, decodePlainData, encodePlainData } from "./wire.js";

/** More messages than this in flight at once is a message storm, not a protocol. */
const messagesInFlightMax = 100_000;
/** How many recent events an error message shows. */
const errorTraceLines = 25;

/**
 * What the queue holds. Events point at their node's record rather than naming it, so handling
 * one looks nothing up by name; a message travels as its copy (see `copyPlainData`).
 */
type SimulationEvent = DeliverEvent | TimerEvent | ActionEvent;

interface DeliverEvent {
  type: "deliver";
  from: NodeId;
  to: NodeRecord;
  /** The copy made at sending, never handed out: each delivery hands out a copy of it. */
  payload: unknown;
  messageType: string | undefined;
  /** It arrived while the receiver was paused: it got through, whatever the network does now. */
  arrived: boolean;
}

interface TimerEvent {
  type: "timer";
  node: NodeRecord;
  incarnation: number;
  name: string;
  serial: number;
}

interface ActionEvent {
  type: "action";
  label: string;
  run: () => void;
}

/** What code is running, for error messages; the text is built only when an error needs it. */
const enum Running {
  Test,
  Node,
  Action,
  Invariant,
}

/** What a node is handling, for "while n2 handled a message from n1 at t=12.000ms". */
const enum Handling {
  Message,
  Timer,
  Start,
  Restart,
  Act,
}

interface NodeRecord {
  id: NodeId;
  peers: readonly NodeId[];
  factory: NodeFactory<unknown, SimulatedNode<unknown>>;
  instance: SimulatedNode<unknown> | undefined;
  /** Bumped on every crash and restart, so that timers set by an earlier life never fire. */
  incarnation: number;
  timers: Map<string, number>;
  storage: Map<string, string>;
  clock: NodeClock;
  random: Random;
  /** Paused (a long GC pause, a stalled VM): events for it wait in `held`, in order. */
  paused: boolean;
  held: SimulationEvent[];
  messages: MessageCounter;
}

/** The nodes added by one `addNodes` call, typed by what the factory creates. */
export class NodeGroup<Node> {
  readonly ids: readonly NodeId[];
  readonly #simulation: Simulation<never>;
  /** The group's records by id, looked up once: checkers call `node(id)` after every event. */
  #records: Map<NodeId, NodeRecord> | undefined;
  /** Which nodes were up the last time anyone asked, and at which crash or start count. */
  #liveIds: NodeId[] = [];
  #liveNodes: Node[] = [];
  #liveEntries: ReadonlyArray<readonly [NodeId, Node]> = [];
  #liveAt = -1;

  constructor(simulation: Simulation<never>, ids: readonly NodeId[]) {
    this.#simulation = simulation;
    this.ids = ids;
  }

  /** The running instance of node `id`, or undefined while it is crashed. */
  node(id: NodeId): Node | undefined {
    const record = this.#recordsById().get(id);
    if (record === undefined)
      throw new RangeError(`Node ${id} is not in this group (${this.ids.join(", ")})`);
    return record.instance as Node | undefined;
  }

  /** The ids of the nodes that are up. */
  liveIds(): NodeId[] {
    this.#refreshLive();
    return this.#liveIds.slice();
  }

  /** The running instances, in the order of `ids`. */
  liveNodes(): Node[] {
    this.#refreshLive();
    return this.#liveNodes.slice();
  }

  /**
   * Each node that is up with its running instance, in the order of `ids`: for checks that run
   * after every event. Frozen, and the same array until a node crashes, starts or restarts, so
   * a check pays for no copy.
   */
  liveEntries(): ReadonlyArray<readonly [NodeId, Node]> {
    this.#refreshLive();
    return this.#liveEntries;
  }

  #recordsById(): Map<NodeId, NodeRecord> {
    if (this.#records === undefined) {
      this.#records = new Map(this.ids.map((id) => [id, recordOf(this.#simulation, id)]));
    }
    return this.#records;
  }

  /** Recomputed only after a crash, start or restart somewhere in the simulation. */
  #refreshLive(): void {
    const livenessChanges = livenessChangesOf(this.#simulation);
    if (this.#liveAt === livenessChanges) return;
    this.#liveIds = [];
    this.#liveNodes = [];
    const entries: Array<readonly [NodeId, Node]> = [];
    for (const [id, record] of this.#recordsById()) {
      if (record.instance === undefined) continue;
      this.#liveIds.push(id);
      this.#liveNodes.push(record.instance as Node);
      entries.push(Object.freeze([id, record.instance as Node] as const));
    }
    this.#liveEntries = Object.freeze(entries);
    this.#liveAt = livenessChanges;
  }
}

/** NodeGroup's view of a simulation's internals, set up by Simulation's static block. */
let recordOf: (simulation: Simulation<never>, id: NodeId) => NodeRecord;
let livenessChangesOf: (simulation: Simulation<never>) => number;

/**
 * A deterministic discrete-event simulation of nodes on an unreliable network.
 *
 * Time is virtual: it jumps from one scheduled event to the next, so a ten-second Raft run
 * takes milliseconds. Every choice the network makes comes from a seeded generator, and events
 * at the same instant run in the order they were scheduled, so a run is a function of the
 * scenario and the seed.
 *
 * @example
 * const simulation = new Simulation<Ping>({ seed: 7, network: { lossRate: 0.1 } });
 * const nodes = simulation.addNodes(["n1", "n2", "n3"], (context) => new PingNode(context));
 * simulation.partition(["n1"], ["n2", "n3"]);
 * simulation.runFor(1_000);
 * simulation.heal();
 * const settled = simulation.runUntil(() => nodes.liveNodes().every((n) => n.done), { withinMs: 5_000 });
 */
export class Simulation<Message> {
  readonly seed: number;
  readonly name: string;
  readonly #stepsMax: number;
  readonly #queue = new EventQueue<SimulationEvent>();
  readonly #network: Network;
  readonly #networkRandom: Random;
  readonly #clockRandom: Random;
  readonly #clockOptions: ClockOptions;
  readonly #nodes = new Map<NodeId, NodeRecord>();
  readonly #trace: TraceRecorder;
  /** Each node's public state after each event that changed it, while `workbook trace` records. */
  #states: { snapshots: NodeStateSnapshot[]; last: Map<NodeId, string> } | undefined;
  readonly #invariants: Array<{ name: string; check: () => string | void }> = [];
  #nowMs = 0;
  #steps = 0;
  #messagesInFlight = 0;
  /** Actions scheduled with `at` or `after` that have not run yet. */
  #actionsPending = 0;
  #nextTimerSerial = 0;
  /** What code is running, for error messages: "while n2 handled a message from n1". */
  #running = Running.Test;
  #runningRecord: NodeRecord | undefined;
  #runningHandling = Handling.Message;
  /** The sender, timer, label or invariant name that goes with `#running`. */
  #runningSubject = "";
  /** Describes `#running` for the guard rails and the loop guard: one function, made once. */
  readonly #describeRunning = (): string => this.#runningText();
  /** Counts crashes, starts and restarts, so a NodeGroup knows when to look again. */
  #livenessChanges = 0;

  static {
    recordOf = (simulation, id) => simulation.#record(id);
    livenessChangesOf = (simulation) => simulation.#livenessChanges;
  }
  /** Labels console output of node code: "[n2 t=120.5ms]". */
  readonly #consoleLabel = (): string =>
    `[${this.#running === Running.Node ? this.#runningRecord!.id : "test"} t=${Math.round(this.#nowMs * 1000) / 1000}ms]`;

  constructor(options: SimulationOptions) {
    if (!Number.isSafeInteger(options.seed)) {
      throw new RangeError(`Expected seed to be a whole number, got ${options.seed}`);
    }
    this.seed = options.seed;
    this.name = options.name ?? "simulation";
    this.#stepsMax = options.stepsMax ?? 1_000_000;
    this.#network = new Network(options.network);
    this.#networkRandom = new Random(options.seed, "network");
    this.#clockRandom = new Random(options.seed, "clocks");
    this.#clockOptions = { offsetMsMax: 0, driftPpmMax: 0, ...options.clocks };
    // `workbook trace` asks for whole runs through the environment, so a test needs no flag.
    const keepAll = process.env["WORKBOOK_TRACE_OUT"] !== undefined;
    this.#trace = new TraceRecorder(keepAll ? "all" : (options.traceKeep ?? 200));
    // Only a recorded run (the viewer's) pays for reading nodes' state after every event.
    if (options.recordNodeState ?? keepAll) this.#states = { snapshots: [], last: new Map() };
    simulationObserver?.(this as Simulation<unknown>);
  }

  /** True simulation time in milliseconds: what a checker uses, never what a node sees. */
  get nowMs(): number {
    return this.#nowMs;
  }

  /** How many events have run. */
  get steps(): number {
    return this.#steps;
  }

  // ---------------------------------------------------------------- nodes

  /**
   * Adds and starts nodes. Each node's `peers` are the other ids in this call. The factory runs
   * again on every restart, with the same durable storage.
   */
  addNodes<Node extends SimulatedNode<Message>>(
    ids: readonly NodeId[],
    factory: NodeFactory<Message, Node>,
  ): NodeGroup<Node> {
    for (const id of ids) {
      if (this.#nodes.has(id)) throw new RangeError(`A node named ${id} already exists`);
      if (typeof id !== "string" || id.length === 0)
        throw new RangeError(`Expected a non-empty node name, got ${String(id)}`);
    }
    const { offsetMsMax, driftPpmMax } = this.#clockOptions;
    for (const id of ids) {
      const clock = new NodeClock(
        this.#clockRandom.between(-offsetMsMax, offsetMsMax),
        this.#clockRandom.between(-driftPpmMax, driftPpmMax),
      );
      clock.restartMonotonic(this.#nowMs);
      this.#nodes.set(id, {
        id,
        // Frozen: node code gets this very array, and must not change the harness's copy.
        peers: Object.freeze(ids.filter((peer) => peer !== id)),
        factory: factory as NodeFactory<unknown, SimulatedNode<unknown>>,
        instance: undefined,
        incarnation: 0,
        timers: new Map(),
        storage: new Map(),
        clock,
        random: new Random(this.seed, `node/${id}`),
        paused: false,
        held: [],
        messages: new MessageCounter(),
      });
    }
    for (const id of ids) this.#boot(this.#record(id), "start");
    return new NodeGroup<Node>(this as unknown as Simulation<never>, ids);
  }

  /** The running instance of `id`, or undefined while it is crashed. */
  node<Node>(id: NodeId): Node | undefined {
    return this.#record(id).instance as Node | undefined;
  }

  isUp(id: NodeId): boolean {
    return this.#record(id).instance !== undefined;
  }

  /** Whether `id` is paused: up, but handling nothing until `resume`. */
  isPaused(id: NodeId): boolean {
    return this.#record(id).paused;
  }

  /**
   * Messages sent and delivered so far, per node and per message `type`: for budgets such as
   * "a write costs at most 2n messages". A fresh copy each call; subtract two to count what
   * happened in between (`totalMessageCounts` adds up the nodes).
   */
  messageCounts(): Record<NodeId, NodeMessageCounts> {
    const counts: Record<NodeId, NodeMessageCounts> = {};
    for (const [id, record] of this.#nodes) counts[id] = record.messages.snapshot();
    return counts;
  }

  /** Every node's id, in the order added. */
  nodeIds(): NodeId[] {
    return [...this.#nodes.keys()];
  }

  /**
   * Runs test code against a live node now, as an event of the run: a client request, say.
   * Guard rails apply and anything it throws is reported as the node's error.
   */
  act<Node>(id: NodeId, label: string, action: (node: Node) => void): void {
    const record = this.#record(id);
    if (record.instance === undefined)
      throw new SimulationError(`Cannot act on ${id}: it is crashed`);
    if (record.paused)
      throw new SimulationError(`Cannot act on ${id}: it is paused (resume it first)`);
    this.#step(() => {
      this.#recordEvent({ kind: "act", node: id, detail: label });
      this.#dispatch(record, Handling.Act, label, () => action(record.instance as Node));
    });
  }

  /** Crashes `id`: its instance, its timers and its volatile state are gone; its storage stays. */
  crash(id: NodeId): void {
    const record = this.#record(id);
    if (record.instance === undefined) return;
    record.instance = undefined;
    record.incarnation++;
    record.timers.clear();
    this.#livenessChanges++;
    this.#recordEvent({ kind: "crash", node: id });
    // A crash ends a pause: what the process had not handled yet dies with it.
    record.paused = false;
    for (const event of record.held.splice(0)) {
      if (event.type !== "deliver") continue;
      this.#messagesInFlight--;
      this.#trace.add(
        this.#steps,
        this.#nowMs,
        "drop",
        undefined,
        event.from,
        id,
        undefined,
        event.payload,
        `${id} crashed before handling it`,
      );
    }
  }

  /**
   * Pauses `id`, as a long garbage-collection pause or a stalled VM would: it stays up but
   * handles nothing. Messages that reach it and timers that come due wait, in order, and its
   * clocks keep running, so on `resume` it handles them late, in the order they came. Pausing a
   * crashed or paused node does nothing; a crash ends a pause.
   */
  pause(id: NodeId): void {
    const record = this.#record(id);
    if (record.instance === undefined || record.paused) return;
    record.paused = true;
    this.#recordEvent({ kind: "pause", node: id });
  }

  /** Lets a paused node run again: it handles what waited, in order, starting now. */
  resume(id: NodeId): void {
    const record = this.#record(id);
    if (!record.paused) return;
    record.paused = false;
    const held = record.held.splice(0);
    const messages = held.filter((event) => event.type === "deliver").length;
    const timers = held.length - messages;
    this.#recordEvent({
      kind: "resume",
      node: id,
      detail: `${plural(messages, "message")} and ${plural(timers, "timer")} waited`,
    });
    for (const event of held) this.#queue.push(this.#nowMs, event);
  }

  /** Starts a crashed node again: a fresh instance from its factory, with its durable storage. */
  restart(id: NodeId): void {
    const record = this.#record(id);
    if (record.instance !== undefined) this.crash(id);
    record.clock.restartMonotonic(this.#nowMs);
    this.#boot(record, "restart");
  }

  // ---------------------------------------------------------------- faults

  /**
   * Splits nodes into sides that cannot reach each other. Nodes not named form one more side.
   * A new partition replaces the previous one; isolated nodes and cut links stay as they are.
   */
  partition(...sides: NodeId[][]): void {
    sides.flat().forEach((id) => this.#record(id));
    this.#network.partition(sides);
    this.#recordEvent({
      kind: "fault",
      detail: `partition ${sides.map((side) => `[${side.join(" ")}]`).join(" | ")}`,
    });
  }

  /** Cuts `id` off from every other node, both ways, until `heal`. */
  isolate(id: NodeId): void {
    this.#record(id);
    this.#network.isolate(id);
    this.#recordEvent({ kind: "fault", detail: `isolate ${id}` });
  }

  /** Cuts the one-way link from `from` to `to`: `to` stops hearing `from`. */
  cut(from: NodeId, to: NodeId): void {
    this.#record(from);
    this.#record(to);
    this.#network.cut(from, to);
    this.#recordEvent({ kind: "fault", detail: `cut ${from} → ${to}` });
  }

  /** Restores the one-way link from `from` to `to`. */
  repair(from: NodeId, to: NodeId): void {
    this.#network.repair(from, to);
    this.#recordEvent({ kind: "fault", detail: `repair ${from} → ${to}` });
  }

  /** Ends every partition, isolation and cut. Messages already dropped stay dropped. */
  heal(): void {
    this.#network.heal();
    this.#recordEvent({ kind: "fault", detail: "heal" });
  }

  /** Changes how every link behaves from now on (links with their own settings keep them). */
  setNetwork(options: Partial<LinkOptions>): void {
    this.#network.setDefaults(options);
    this.#recordEvent({ kind: "fault", detail: `network ${JSON.stringify(options)}` });
  }

  /** Gives the one-way link from `from` to `to` its own latency, loss or duplication. */
  setLink(from: NodeId, to: NodeId, options: Partial<LinkOptions>): void {
    this.#network.setLink(from, to, options);
    this.#recordEvent({ kind: "fault", detail: `link ${from} → ${to} ${JSON.stringify(options)}` });
  }

  /** Returns the one-way link from `from` to `to` to the network's defaults. */
  clearLink(from: NodeId, to: NodeId): void {
    this.#network.clearLink(from, to);
    this.#recordEvent({ kind: "fault", detail: `link ${from} → ${to} default` });
  }

  /** Steps node `id`'s time-of-day clock by `deltaMs`: forwards, or backwards when negative. */
  jumpClock(id: NodeId, deltaMs: number): void {
    this.#record(id).clock.jump(deltaMs);
    this.#recordEvent({
      kind: "clock",
      node: id,
      detail: `jump ${deltaMs >= 0 ? "+" : ""}${deltaMs}ms`,
    });
  }

  /** Makes node `id`'s clocks run fast (positive) or slow (negative) by `driftPpm` parts per million. */
  setClockDrift(id: NodeId, driftPpm: number): void {
    this.#record(id).clock.setDrift(this.#nowMs, driftPpm);
    this.#recordEvent({ kind: "clock", node: id, detail: `drift ${driftPpm}ppm` });
  }

  /** What node `id`'s time-of-day clock reads now. */
  clockOf(id: NodeId): { wallMs: number; monotonicMs: number; driftPpm: number } {
    const clock = this.#record(id).clock;
    return {
      wallMs: clock.wallMs(this.#nowMs),
      monotonicMs: clock.monotonicMs(this.#nowMs),
      driftPpm: clock.driftPpm,
    };
  }

  // ---------------------------------------------------------------- running

  /** Runs test code at true time `timeMs`, as an event: to crash a node mid-run, say. */
  at(timeMs: number, label: string, run: () => void): void {
    if (!(timeMs >= this.#nowMs))
      throw new RangeError(
        `Cannot schedule "${label}" at ${timeMs}ms: it is already ${this.#nowMs}ms`,
      );
    this.#queue.push(timeMs, { type: "action", label, run });
    this.#actionsPending++;
  }

  /** Runs test code `delayMs` from now. */
  after(delayMs: number, label: string, run: () => void): void {
    this.at(this.#nowMs + delayMs, label, run);
  }

  /**
   * Checks `check` after every event from now on. It returns (or throws) a description of what
   * is wrong, or nothing when all is well; the run then stops with an InvariantViolation that
   * shows the event that broke it.
   */
  addInvariant(name: string, check: () => string | void | undefined): void {
    this.#invariants.push({ name, check });
  }

  /** Runs every event in the next `durationMs` of simulated time. */
  runFor(durationMs: number): void {
    this.#run(() => false, this.#nowMs + durationMs);
  }

  /**
   * Runs until `predicate` holds (checked before the first event and after every event) or
   * `withinMs` of simulated time pass. Returns whether the predicate held.
   */
  runUntil(predicate: () => boolean, options: { withinMs: number }): boolean {
    return this.#run(predicate, this.#nowMs + options.withinMs);
  }

  /** Runs until nothing is left to happen (returns true) or `withinMs` pass (returns false). */
  runUntilQuiet(options: { withinMs: number }): boolean {
    return this.#run(() => this.#quiet(), this.#nowMs + options.withinMs);
  }

  // ---------------------------------------------------------------- trace

  /** The recorded events, oldest first (the most recent 200 unless `traceKeep: "all"`). */
  trace(): TraceEvent[] {
    return this.#trace.events();
  }

  /** The recorded events as text, one per line. */
  traceText(): string {
    return formatTrace(this.trace());
  }

  /** The run as a JSON-ready document, as `workbook trace` writes it. */
  traceDocument(): TraceDocument {
    return {
      name: this.name,
      seed: this.seed,
      truncated: this.#trace.truncated,
      // Only when some were, so a whole run's document is what it was before the field existed.
      ...(this.#trace.discarded > 0 ? { discarded: this.#trace.discarded } : {}),
      events: this.trace(),
      ...(this.#states === undefined ? {} : { states: this.#states.snapshots }),
    };
  }

  // ---------------------------------------------------------------- internals

  #record(id: NodeId): NodeRecord {
    const record = this.#nodes.get(id);
    if (record === undefined) {
      throw new RangeError(
        `No node named ${JSON.stringify(id)}; the nodes are ${[...this.#nodes.keys()].join(", ")}`,
      );
    }
    return record;
  }

  /**
   * Whether nothing is left that could happen: no message in flight, no scheduled action and no
   * timer set. The queue alone cannot tell, since a cancelled or moved timer leaves its old
   * entry behind, to be skipped when its time comes.
   */
  #quiet(): boolean {
    if (this.#messagesInFlight > 0 || this.#actionsPending > 0) return false;
    for (const record of this.#nodes.values()) if (record.timers.size > 0) return false;
    return true;
  }

  #boot(record: NodeRecord, kind: "start" | "restart"): void {
    this.#step(() => {
      record.incarnation++;
      record.timers.clear();
      this.#recordEvent({ kind, node: record.id });
      const context = this.#contextFor(record, record.incarnation);
      const handling = kind === "start" ? Handling.Start : Handling.Restart;
      this.#dispatch(record, handling, "", () => {
        record.instance = record.factory(context);
        this.#livenessChanges++;
        return record.instance.onStart?.();
      });
    });
  }

  #run(predicate: () => boolean, untilMs: number): boolean {
    if (!(untilMs >= this.#nowMs))
      throw new RangeError(`Expected a duration >= 0, got ${untilMs - this.#nowMs}ms`);
    const release = installGuardRails(this.#describeRunning, this.#consoleLabel);
    const queue = this.#queue;
    const startedAtMs = this.#nowMs;
    try {
      for (;;) {
        if (predicate()) return true;
        const timeMs = queue.peekTimeMs();
        if (queue.size === 0 || timeMs > untilMs) {
          if (Number.isFinite(untilMs)) this.#nowMs = untilMs;
          return false;
        }
        const event = queue.popEvent();
        // A cancelled or moved timer leaves its entry in the queue. Skipping it here, rather than
        // as an event, keeps it from counting against the step budget or re-running invariants.
        if (event.type === "timer" && this.#isStaleTimer(event)) continue;
        this.#nowMs = timeMs;
        // Nothing happens at a paused node, so what waits for it is not an event yet either.
        if (event.type !== "action" && this.#holdIfPaused(event)) continue;
        // One event, as `#step` runs it, without a closure: the guard rails are already on, and
        // the catch below adds the recent trace.
        this.#countStep();
        this.#process(event);
        if (this.#invariants.length > 0) this.#checkInvariants();
      }
    } catch (error) {
      throw this.#withRecentTrace(error);
    } finally {
      simulatedMsTotal += this.#nowMs - startedAtMs;
      release();
    }
  }

  /** One event: counted against the budget, guarded, then checked against every invariant. */
  #step(body: () => void): void {
    this.#countStep();
    const release = installGuardRails(this.#describeRunning, this.#consoleLabel);
    try {
      body();
      this.#checkInvariants();
    } catch (error) {
      throw this.#withRecentTrace(error);
    } finally {
      release();
    }
  }

  /** Counts one event against the budget. */
  #countStep(): void {
    if (++this.#steps > this.#stepsMax) {
      throw new StepBudgetExceeded(
        `The run used its whole budget of ${this.#stepsMax.toLocaleString("en")} events by ` +
          `t=${this.#nowMs.toFixed(3)}ms without finishing: a livelock or a message storm? ` +
          `Look for a node that answers every message with more messages, or a timer set to 0ms ` +
          `that sets itself again.`,
      );
    }
  }

  /**
   * Handles one event. The handlers are written out rather than passed to `#dispatch` as
   * closures, and build no strings: this runs millions of times a second.
   */
  #process(event: SimulationEvent): void {
    switch (event.type) {
      case "deliver": {
        this.#messagesInFlight--;
        const record = event.to;
        const instance = record.instance;
        if (instance === undefined) {
          this.#traceMessage("drop", event, `${record.id} is down`);
        } else if (!event.arrived && !this.#network.connected(event.from, record.id)) {
          this.#traceMessage("drop", event, "partitioned");
        } else {
          const from = event.from;
          this.#trace.add(
            this.#steps,
            this.#nowMs,
            "deliver",
            record.id,
            from,
            undefined,
            undefined,
            event.payload,
            undefined,
          );
          record.messages.countDelivered(event.messageType);
          this.#beginHandling(record, Handling.Message, from);
          try {
            const result: unknown = instance.onMessage(from, clonePlainData(event.payload));
            if (result !== undefined) refusePromise(result);
            if (this.#states !== undefined) this.#recordState(record);
          } catch (error) {
            this.#handlerFailed(record, error);
          } finally {
            this.#running = Running.Test;
          }
        }
        return;
      }
      case "timer": {
        const record = event.node;
        record.timers.delete(event.name);
        this.#trace.add(
          this.#steps,
          this.#nowMs,
          "timer",
          record.id,
          undefined,
          undefined,
          undefined,
          noPayload,
          event.name,
        );
        const instance = record.instance!;
        this.#beginHandling(record, Handling.Timer, event.name);
        try {
          if (instance.onTimer === undefined) {
            throw new TypeError(`A timer fired but the node has no onTimer(name) method`);
          }
          const result: unknown = instance.onTimer(event.name);
          if (result !== undefined) refusePromise(result);
          if (this.#states !== undefined) this.#recordState(record);
        } catch (error) {
          this.#handlerFailed(record, error);
        } finally {
          this.#running = Running.Test;
        }
        return;
      }
      case "action": {
        this.#actionsPending--;
        this.#recordEvent({ kind: "act", detail: event.label });
        this.#running = Running.Action;
        this.#runningSubject = event.label;
        try {
          event.run();
        } finally {
          this.#running = Running.Test;
        }
        return;
      }
    }
  }

  /** A trace line about a message in flight: a send, or a drop and why. */
  #traceMessage(kind: "send" | "drop", event: DeliverEvent, detail: string | undefined): void {
    this.#trace.add(
      this.#steps,
      this.#nowMs,
      kind,
      undefined,
      event.from,
      event.to.id,
      undefined,
      event.payload,
      detail,
    );
  }

  /**
   * Keeps `event` for later if it is for a paused node: a timer that came due, or a message that
   * got through the network (one the network drops now is dropped now, as usual).
   */
  #holdIfPaused(event: DeliverEvent | TimerEvent): boolean {
    const record = event.type === "deliver" ? event.to : event.node;
    if (!record.paused) return false;
    if (event.type === "deliver") {
      if (!event.arrived && !this.#network.connected(event.from, record.id)) return false;
      event.arrived = true;
    }
    record.held.push(event);
    return true;
  }

  /** Whether `event` is a timer that was cancelled, moved, or set by a node's earlier life. */
  #isStaleTimer(event: TimerEvent): boolean {
    const record = event.node;
    return (
      record.incarnation !== event.incarnation || record.timers.get(event.name) !== event.serial
    );
  }

  /** Runs node code, turning whatever it throws into an error that says which node and event. */
  #dispatch(record: NodeRecord, handling: Handling, subject: string, body: () => unknown): void {
    this.#beginHandling(record, handling, subject);
    try {
      const result = body();
      if (result !== undefined) refusePromise(result);
      if (this.#states !== undefined) this.#recordState(record);
    } catch (error) {
      this.#handlerFailed(record, error);
    } finally {
      this.#running = Running.Test;
    }
  }

  /** Keeps the node's public state after this event, when it changed (see node-state.ts). */
  #recordState(record: NodeRecord): void {
    const instance = record.instance;
    if (instance === undefined || typeof instance !== "object" || instance === null) return;
    const state = readNodeState(instance);
    if (state === undefined) return;
    const text = JSON.stringify(state);
    if (this.#states!.last.get(record.id) === text) return;
    this.#states!.last.set(record.id, text);
    this.#states!.snapshots.push({ step: this.#steps, node: record.id, state });
  }

  /** Node code is about to run: note what it handles, and give it a fresh loop count. */
  #beginHandling(record: NodeRecord, handling: Handling, subject: string): void {
    this.#running = Running.Node;
    this.#runningRecord = record;
    this.#runningHandling = handling;
    this.#runningSubject = subject;
    resetLoopGuard(this.#describeRunning);
  }

  #handlerFailed(record: NodeRecord, error: unknown): never {
    if (error instanceof SimulationError) throw error;
    throw nodeError(`${record.id} threw while handling ${this.#handlingText()}`, error);
  }

  /** "a message from n1 at t=12.000ms": what the running node is handling. */
  #handlingText(): string {
    const subject = this.#runningSubject;
    const handling = {
      [Handling.Message]: `a message from ${subject}`,
      [Handling.Timer]: `its timer "${subject}"`,
      [Handling.Start]: "its start",
      [Handling.Restart]: "its restart",
      [Handling.Act]: subject,
    }[this.#runningHandling];
    return `${handling} at t=${this.#nowMs.toFixed(3)}ms`;
  }

  /** What code is running, in words, for an error message. */
  #runningText(): string {
    switch (this.#running) {
      case Running.Test:
        return "in test code";
      case Running.Node:
        return `while ${this.#runningRecord!.id} handled ${this.#handlingText()}`;
      case Running.Action:
        return `in the test's scheduled action "${this.#runningSubject}"`;
      case Running.Invariant:
        return `in the invariant "${this.#runningSubject}"`;
    }
  }

  #contextFor(record: NodeRecord, incarnation: number): NodeContext<Message> {
    const simulation = this;
    const alive = (): void => {
      if (record.incarnation !== incarnation) {
        throw new SimulationError(
          `${record.id} acted after it crashed: an old instance's code ran again`,
        );
      }
    };
    const storage: DurableStorage = {
      get: <Value>(key: string) => {
        const encoded = record.storage.get(key);
        return encoded === undefined ? undefined : decodePlainData<Value>(encoded);
      },
      set: (key, value) => {
        alive();
        record.storage.set(key, encodePlainData(value, `the value stored under "${key}"`));
      },
      delete: (key) => {
        alive();
        record.storage.delete(key);
      },
      keys: () => [...record.storage.keys()],
    };
    return {
      id: record.id,
      peers: record.peers,
      send(to, message) {
        alive();
        const payload = copyPlainData(message, "the message");
        simulation.#send(record, to, payload, messageTypeOf(payload));
      },
      broadcast(message) {
        alive();
        // Copied once for all peers: each receiver gets its own copy of it at delivery.
        const payload = copyPlainData(message, "the message");
        const messageType = messageTypeOf(payload);
        for (const peer of record.peers) simulation.#send(record, peer, payload, messageType);
      },
      setTimer(name, delayMs) {
        alive();
        if (!(Number.isFinite(delayMs) && delayMs >= 0)) {
          throw new RangeError(
            `Expected timer "${name}" delayMs to be a finite number >= 0, got ${delayMs}`,
          );
        }
        const serial = simulation.#nextTimerSerial++;
        record.timers.set(name, serial);
        const fireAtMs = simulation.#nowMs + record.clock.trueDurationOf(delayMs);
        const timer: TimerEvent = { type: "timer", node: record, incarnation, name, serial };
        simulation.#queue.push(fireAtMs, timer);
      },
      cancelTimer(name) {
        alive();
        record.timers.delete(name);
      },
      // An old life's context must not see the timers of the node's next life.
      hasTimer: (name) => record.incarnation === incarnation && record.timers.has(name),
      now: () => record.clock.wallMs(simulation.#nowMs),
      monotonicNow: () => record.clock.monotonicMs(simulation.#nowMs),
      random: () => record.random.next(),
      randomInt: (min, max) => record.random.int(min, max),
      storage,
      note(text) {
        simulation.#recordEvent({ kind: "note", node: record.id, detail: String(text) });
      },
    };
  }

  /** Puts one message's copy on the wire from `sender` to `to`, through the network's faults. */
  #send(sender: NodeRecord, to: NodeId, payload: unknown, messageType: string | undefined): void {
    const from = sender.id;
    const receiver = this.#nodes.get(to);
    if (receiver === undefined) {
      throw new RangeError(
        `${from} sent a message to ${JSON.stringify(to)}, but there is no such node; the nodes are ${[...this.#nodes.keys()].join(", ")}`,
      );
    }
    sender.messages.countSent(messageType);
    const steps = this.#steps;
    const nowMs = this.#nowMs;
    const trace = this.#trace;
    trace.add(steps, nowMs, "send", undefined, from, to, undefined, payload, undefined);
    if (!this.#network.connected(from, to)) {
      trace.add(steps, nowMs, "drop", undefined, from, to, undefined, payload, "partitioned");
      return;
    }
    const link = this.#network.optionsFor(from, to);
    if (this.#networkRandom.chance(link.lossRate)) {
      trace.add(steps, nowMs, "drop", undefined, from, to, undefined, payload, "lost");
      return;
    }
    const copies = this.#networkRandom.chance(link.duplicateRate) ? 2 : 1;
    for (let copy = 0; copy < copies; copy++) {
      if (++this.#messagesInFlight > messagesInFlightMax) {
        throw new StepBudgetExceeded(
          `More than ${messagesInFlightMax.toLocaleString("en")} messages are in flight at ` +
            `t=${this.#nowMs.toFixed(3)}ms: a message storm. Look for a node that sends on every ` +
            `message it receives, or a broadcast inside a loop.`,
        );
      }
      const latencyMs = this.#latencyMs(link);
      const delivery: DeliverEvent = {
        type: "deliver",
        from,
        to: receiver,
        payload,
        messageType,
        arrived: false,
      };
      this.#queue.push(nowMs + latencyMs, delivery);
    }
  }

  /**
   * Whole milliseconds when both bounds are whole, which keeps traces easy to read; any point of
   * the range when a bound is fractional, so `{ min: 0.5, max: 2 }` works as written.
   */
  #latencyMs({ latencyMs: { min, max } }: LinkOptions): number {
    return Number.isInteger(min) && Number.isInteger(max)
      ? this.#networkRandom.int(min, max)
      : this.#networkRandom.between(min, max);
  }

  /** Records an event that is not on the hot path (those call `#trace.add` directly). */
  #recordEvent(event: { kind: TraceKind } & Omit<TraceEvent, "step" | "timeMs" | "kind">): void {
    this.#trace.add(
      this.#steps,
      this.#nowMs,
      event.kind,
      event.node,
      event.from,
      event.to,
      event.message,
      noPayload,
      event.detail,
    );
  }

  #checkInvariants(): void {
    for (const { name, check } of this.#invariants) {
      let problem: string | void;
      this.#running = Running.Invariant;
      this.#runningSubject = name;
      try {
        problem = check();
      } catch (error) {
        problem = error instanceof Error ? error.message : String(error);
      } finally {
        this.#running = Running.Test;
      }
      if (problem !== undefined) {
        const lastEvent = this.#trace.last();
        const last =
          lastEvent === undefined ? "" : `\nThe last event was:\n${formatTrace([lastEvent])}`;
        throw new InvariantViolation(
          `Invariant broken: ${name}\n${problem}\n(at t=${this.#nowMs.toFixed(3)}ms, step ${this.#steps})${last}`,
        );
      }
    }
  }

  /** Adds the recent trace to an error leaving a run, once. */
  #withRecentTrace(error: unknown): unknown {
    if (!(error instanceof Error) || recentTraceAdded.has(error)) return error;
    recentTraceAdded.add(error);
    const events = this.trace().slice(-errorTraceLines);
    error.message +=
      `\n\nSimulation "${this.name}", seed ${this.seed}, stopped at t=${this.#nowMs.toFixed(3)}ms ` +
      `after ${this.#steps} events. The last ${events.length}:\n${formatTrace(events)}`;
    return error;
  }
}

const recentTraceAdded = new WeakSet<Error>();

/** Node handlers are synchronous; a Promise returned by one would be silently dropped. */
function refusePromise(result: unknown): void {
  if (typeof (result as { then?: unknown } | null)?.then === "function") {
    throw new TypeError(
      "The handler returned a Promise. Node handlers must be synchronous: the simulation " +
        "runs each event to completion, so nothing can be awaited inside one.",
    );
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** Wraps an error thrown by node code, keeping its stack so the learner's line is shown. */
function nodeError(prefix: string, error: unknown): NodeError {
  const original = error instanceof Error ? error : new Error(String(error));
  const wrapped = new NodeError(`${prefix}: ${original.name}: ${original.message}`, {
    cause: original,
  });
  const frames = (original.stack ?? "")
    .split("\n")
    .filter((line) => line.trimStart().startsWith("at "));
  wrapped.stack = `${wrapped.name}: ${wrapped.message}\n${frames.join("\n")}`;
  return wrapped;
}

let simulationObserver: ((simulation: Simulation<unknown>) => void) | undefined;

/** Simulated time run by every simulation in this process, for the bench's scenario-time figure. */
let simulatedMsTotal = 0;

/** How many milliseconds of simulated time every simulation in this process has run so far. */
export function simulatedMilliseconds(): number {
  return simulatedMsTotal;
}

/** Lets the seed runner see each simulation a test creates, to export its trace. */
export function observeSimulations(
  observer: ((simulation: Simulation<unknown>) => void) | undefined,
): void {
  simulationObserver = observer;
}
