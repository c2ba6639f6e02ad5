import {
  learnerRepository,
  removeShippedRepository,
  type LearnerRepository,
} from "./learner-repository.js";

/**
 * Learner repositories for tests that run side by side, each lent to one test at a time and
 * reset to the shipped files when it comes back. A new clone's first CLI run transforms the
 * harness for vitest and bundles the CLI again, about 0.9 s of CPU; a clone that comes back
 * keeps those caches. At most `size` clones are made: a test that asks for one while all are
 * lent waits for the next to come back. On two cores, three CLIs at once keep both busy, and
 * more would only start more clones cold.
 */
export class LearnerRepositoryPool {
  readonly #idle: LearnerRepository[] = [];
  readonly #all: LearnerRepository[] = [];
  readonly #waiting: Array<(repository: LearnerRepository) => void> = [];
  readonly #size: number;

  constructor(size = Number.POSITIVE_INFINITY) {
    this.#size = size;
  }

  /** A repository with the shipped files and nothing remembered, for one test. */
  take(): Promise<LearnerRepository> {
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle);
    if (this.#all.length < this.#size) {
      const repository = learnerRepository();
      this.#all.push(repository);
      return Promise.resolve(repository);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Takes a repository back, reset, for the next test (the longest waiting, if any). */
  giveBack(repository: LearnerRepository): void {
    repository.resetToShipped();
    const next = this.#waiting.shift();
    if (next !== undefined) next(repository);
    else this.#idle.push(repository);
  }

  /** Deletes every repository, and the one they were cloned from. */
  removeAll(): void {
    for (const repository of this.#all) repository.remove();
    this.#all.length = 0;
    this.#idle.length = 0;
    removeShippedRepository();
  }
}
