/**
 * The accept lane: a WebAssembly core (core.as.ts, AssemblyScript) that reads a text 0.0.4
 * exposition at full speed from its first byte and either accepts it (valid, no lint warning: the
 * series and families counted) or gives it back, and the caller then parses it with
 * `ExpositionStream` from its start. It never decides anything the stream would decide otherwise:
 * what it accepts lies in a narrow subset that test/exposition/accept.test.ts checks against the
 * stream.
 *
 * Where the core comes from: scripts/build-cli.ts compiles core.as.ts and embeds the binary in the
 * command line's build (`SCRAPE_CHECK_ACCEPT_CORE`, base64). The TypeScript sources have no core,
 * so there `acceptCore()` is null and everything goes to the stream.
 */

/** Set by the build (esbuild `define`): the core's WebAssembly binary, in base64. */
declare const SCRAPE_CHECK_ACCEPT_CORE: string | undefined;

/** What the lane found in an input it accepts. */
export interface Accepted {
  bytes: number;
  series: number;
  familyCount: number;
}

/** Why the core gave an input back (`reason`: a code in core.as.ts) and on which line (0: the end). */
export interface GivenBack {
  reason: number;
  line: number;
  /** With `CRASHED`: what the core threw. */
  crash?: string;
}

/** The `reason` when the core itself failed (a trap: a bug in it), whatever the input. */
export const CRASHED = -1;

/** Each give-back code of core.as.ts, in words (test/exposition/accept.test.ts keeps them alike). */
export const GIVE_BACK_REASONS: ReadonlyMap<number, string> = new Map([
  [1, 'a comment line'],
  [2, 'spacing other than one space between tokens'],
  [3, 'a control or non-ASCII byte in a label value or HELP text'],
  [4, 'a value written in a form the lane does not read'],
  [5, 'a timestamp the lane does not read'],
  [6, 'an le bound the lane cannot read exactly'],
  [7, 'a bucket count the lane cannot read exactly'],
  [8, 'a line that does not start with a metric name'],
  [9, 'a label name the lane does not read'],
  [10, 'a label without ="'],
  [11, 'a missing or trailing comma between labels'],
  [12, 'an escape the lane does not read'],
  [13, 'a label name starting with __'],
  [14, 'more than 64 labels'],
  [15, 'a line over 1 MiB'],
  [16, 'a TYPE the lane does not read'],
  [17, 'histogram bounds that do not rise line by line'],
  [20, 'a second HELP'],
  [21, 'a second TYPE'],
  [22, 'a TYPE after the samples'],
  [23, 'a duplicate label'],
  [24, 'a counter not named …_total'],
  [25, 'a sample of a family without HELP'],
  [26, 'a duplicate series'],
  [27, 'a bucket without le'],
  [28, 'buckets that are not cumulative'],
  [29, 'a family without HELP'],
  [30, 'a histogram without le="+Inf"'],
]);

/** `line 12: a comment line`, or `at the end: …`. */
export function describeGivenBack({ reason, line, crash }: GivenBack): string {
  if (reason === CRASHED) return `the lane failed, a bug in scrape-check: ${crash ?? '?'}`;
  const what = GIVE_BACK_REASONS.get(reason) ?? `reason ${reason}`;
  return line === 0 ? `at the end: ${what}` : `line ${line}: ${what}`;
}

/**
 * The WebAssembly API as this module uses it: the project's TypeScript libraries (es2024 and Node's,
 * no DOM) do not describe it.
 */
interface Wasm {
  Module: new (binary: Uint8Array) => CoreModule;
  Instance: new (module: CoreModule, imports: object) => { exports: unknown };
}
const wasm = (globalThis as unknown as { WebAssembly: Wasm }).WebAssembly;

/** A compiled core. */
export interface CoreModule {
  readonly compiled?: never;
}

/** A global the core exports. */
interface Global {
  readonly value: number;
}

interface CoreExports {
  memory: { readonly buffer: ArrayBuffer };
  begin(): void;
  inputAt(n: number): number;
  feed(n: number): number;
  finish(): number;
  familyCount(): number;
  series: Global;
  why: Global;
  whyLine: Global;
}

const imports = {
  env: {
    // AssemblyScript's `abort` (an out-of-range access, a failed assertion): a bug in the core.
    abort(_message: number, _file: number, line: number, column: number): never {
      throw new Error(`the accept lane's core aborted at core.as.ts:${line}:${column}`);
    },
  },
};

let embedded: CoreModule | null | undefined;

/** The build's core, compiled once per process; null when running from the TypeScript sources. */
export function acceptCore(): CoreModule | null {
  embedded ??=
    typeof SCRAPE_CHECK_ACCEPT_CORE === 'string'
      ? compileCore(Buffer.from(SCRAPE_CHECK_ACCEPT_CORE, 'base64'))
      : null;
  return embedded;
}

/** Compiles a core's binary (scripts/build-cli.ts `compileAcceptCore` makes one). */
export function compileCore(binary: Uint8Array): CoreModule {
  return new wasm.Module(binary);
}

/**
 * One input through the core, fed in chunks of any size (each is copied into the core's memory).
 *
 * @example
 * const lane = new AcceptLane(core);
 * for (const chunk of chunks) if (!lane.write(chunk)) break;
 * const accepted = lane.end(); // null: parse the input with ExpositionStream instead
 */
export class AcceptLane {
  readonly #core: CoreExports;
  #bytes = 0;
  #open = true;
  /** What the core threw, if it did (a bug in it): the input is then given back. */
  #crash: string | null = null;

  constructor(core: CoreModule) {
    this.#core = new wasm.Instance(core, imports).exports as CoreExports;
    this.#core.begin();
  }

  /** Reads the complete lines of `chunk`; false once the input is given back. */
  write(chunk: Uint8Array): boolean {
    if (!this.#open) return false;
    this.#open = this.#guard(() => {
      const core = this.#core;
      const at = core.inputAt(chunk.length);
      // After inputAt: the memory may have grown, which replaces its buffer.
      new Uint8Array(core.memory.buffer, at, chunk.length).set(chunk);
      this.#bytes += chunk.length;
      return core.feed(chunk.length) !== 0;
    });
    return this.#open;
  }

  /** The counts, when the whole input is accepted; null when it is given back. */
  end(): Accepted | null {
    const core = this.#core;
    if (!this.#open || !this.#guard(() => core.finish() !== 0)) {
      this.#open = false;
      return null;
    }
    return {
      bytes: this.#bytes,
      series: core.series.value,
      familyCount: core.familyCount(),
    };
  }

  /** Why the input was given back, or null while it is not. */
  get givenBack(): GivenBack | null {
    if (this.#crash !== null) return { reason: CRASHED, line: 0, crash: this.#crash };
    const reason = this.#core.why.value;
    return reason === 0 ? null : { reason, line: this.#core.whyLine.value };
  }

  /**
   * Runs a call into the core. A trap or an abort there is a bug in the core, not in the input:
   * the input is given back, so that the parser still gives the right answer.
   */
  #guard(call: () => boolean): boolean {
    try {
      return call();
    } catch (error) {
      this.#crash = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
