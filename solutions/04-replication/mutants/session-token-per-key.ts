import { mutant } from "../../../harness/workbook/mutant.js";

// A token per key: reads of x see x's latest, but having read x at 1.8 the session may read y as it was before 1.8. Consistent prefix broken.
export default mutant({
  mistake: "the session keeps a token per key, so consistent prefix is ignored",
  file: "sessions.ts",
  changes: [
    {
      find: `  #token: Version = NO_VERSION;
`,
      replace: `  #token: Version = NO_VERSION;
  readonly #perKey = new Map<string, Version>();
  #lastKey = "";
`,
    },
    {
      find: `    void key;
    return this.#token;`,
      replace: `    this.#lastKey = key;
    return this.#perKey.get(key) ?? NO_VERSION;`,
    },
    {
      find: `    this.#token = newer(this.#token, version);
  }

  /** A follower answered`,
      replace: `    this.#token = newer(this.#token, version);
    this.#perKey.set(this.#lastKey, newer(this.#perKey.get(this.#lastKey) ?? NO_VERSION, version));
  }

  /** A follower answered`,
    },
    {
      find: `    // max, not last: an older key read now must not let the token fall back.
    this.#token = newer(this.#token, version);`,
      replace: `    this.#token = newer(this.#token, version);
    this.#perKey.set(this.#lastKey, newer(this.#perKey.get(this.#lastKey) ?? NO_VERSION, version));`,
    },
  ],
  caughtBy: {
    exercise: "session-guarantees",
    test: "a read of any key carries the session's whole token, not just what it saw of that key",
  },
});
