import type { Operation } from "./linearizability.js";

/**
 * Every operation the clients of one simulation issued, with when it was called and when it
 * returned, in true simulation time: the record the checkers read. A client calls `begin` when
 * it issues an operation and `end` when it hears the answer; an operation never answered keeps
 * `returnMs: Infinity`, which the linearizability checker reads as "may have taken effect at any
 * time after its call, or never". A chapter's client adds what its own checks need (which
 * replica answered, when a request was last resent) by extending the recorded operation.
 */
export class OperationHistory<
  Input extends object,
  Output,
  Recorded extends Operation<Input, Output> = Operation<Input, Output>,
> {
  readonly operations: Recorded[] = [];
  readonly #nowMs: () => number;

  /** `nowMs` reads true time, for example `() => simulation.nowMs`; clients cannot see it. */
  constructor(nowMs: () => number) {
    this.#nowMs = nowMs;
  }

  /** Records that `client` called `input` now (a copy: the caller may reuse its object). */
  begin(client: string, input: Input): Recorded {
    const operation = {
      client,
      input: { ...input },
      output: undefined,
      callMs: this.#nowMs(),
      returnMs: Infinity,
    } as Recorded;
    this.operations.push(operation);
    return operation;
  }

  /** Records that `operation` returned `output` now. */
  end(operation: Recorded, output: Output): void {
    operation.output = output;
    operation.returnMs = this.#nowMs();
  }

  /** The operations that got an answer. */
  completed(): Recorded[] {
    return this.operations.filter((operation) => operation.returnMs !== Infinity);
  }

  /** True time now, for what a subclass records beside the call and the return. */
  protected nowMs(): number {
    return this.#nowMs();
  }
}
