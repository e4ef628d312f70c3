/**
 * The families of one exposition, as the stream meets them: which family a sample or a metadata
 * line belongs to, and the rules on their order that span lines (one HELP, TYPE and UNIT each,
 * TYPE before the samples, OpenMetrics families not interleaved). Called once per metadata line and
 * once per change of family, never for a sample of the current family.
 */
import type { Sample } from '#lib/result/types.ts';
import type { Linter } from './lint.ts';
import type { MetricType } from './metric-types.ts';
import { MetricType as MT, SUFFIXES, TYPE_NAMES, typeAllows } from './metric-types.ts';
import type { Scanner } from './scanner.ts';
import { quoteString } from './text.ts';
import type { Tolerated } from './tolerance.ts';
import { Tolerance } from './tolerance.ts';
import { Entry } from './types.ts';
import type { Family, ParseFailure } from './types.ts';

const encoder = new TextEncoder();

/**
 * What the stream remembers about one metric family while it reads: enough to attach samples, to
 * refuse a second `# TYPE` or an interleaved family, and (with `collect`) the output itself.
 */
export class FamilyState {
  readonly name: string;
  /** The name's UTF-8 bytes, to compare with a line without building a string. */
  readonly nameBytes: Uint8Array;
  /** The line the family first appeared on. */
  readonly line: number;
  /** 0 for the first family of the exposition, 1 for the next, and so on. */
  readonly index: number;
  /** The family as `--json` prints it, when collecting. */
  readonly out: Family | null;
  #type: MetricType = MT.unknown;
  #hasType = false;
  #hasHelp = false;
  #hasUnit = false;
  #samples = 0;

  constructor(name: string, line: number, index: number, collect: boolean) {
    this.name = name;
    this.nameBytes = encoder.encode(name);
    this.line = line;
    this.index = index;
    this.out = collect
      ? { name, type: 'unknown', help: '', unit: '', samples: [] as Sample[] }
      : null;
  }

  get type(): MetricType {
    return this.#type;
  }
  get hasType(): boolean {
    return this.#hasType;
  }
  get hasHelp(): boolean {
    return this.#hasHelp;
  }
  get hasUnit(): boolean {
    return this.#hasUnit;
  }
  /** How many samples the family has so far. */
  get samples(): number {
    return this.#samples;
  }

  /** One more sample; `sample` is its record when collecting. */
  addSample(sample: Sample | null): void {
    this.#samples++;
    if (sample !== null) this.out?.samples.push(sample);
  }

  setType(type: MetricType): void {
    this.#type = type;
    this.#hasType = true;
    if (this.out !== null) this.out.type = TYPE_NAMES[type];
  }

  setHelp(help: string): void {
    this.#hasHelp = true;
    if (this.out !== null) this.out.help = help;
  }

  setUnit(unit: string): void {
    this.#hasUnit = true;
    if (this.out !== null) this.out.unit = unit;
  }
}

/** What a `FamilyTracker` needs besides the cursor. */
export interface FamilyTrackerOptions {
  /** OpenMetrics, whose families must not be interleaved and put their metadata first. */
  om: boolean;
  /** Keep each family as `--json` prints it (`collect: 'families'`). */
  collect: boolean;
  /** Scrape mode's notes, or null when validating. */
  notes: Tolerated | null;
  /** The lint pass, or null. */
  linter: Linter | null;
}

/** The entry kinds `FamilyTracker.metadata` reads. */
export type MetadataEntry = typeof Entry.Help | typeof Entry.Type | typeof Entry.Unit;

/**
 * Keeps the families of one exposition. Its methods read the cursor's current entry; when one
 * returns null or false, `failure` says why.
 */
export class FamilyTracker {
  #current: FamilyState | null = null;
  #failure: ParseFailure | null = null;
  /** With `collect`, every family in order of first appearance; else null. */
  readonly collected: Family[] | null;
  readonly #families = new Map<string, FamilyState>();
  readonly #cursor: Scanner;
  readonly #om: boolean;
  readonly #collect: boolean;
  readonly #notes: Tolerated | null;
  readonly #linter: Linter | null;

  constructor(cursor: Scanner, options: FamilyTrackerOptions) {
    this.#cursor = cursor;
    this.#om = options.om;
    this.#collect = options.collect;
    this.#notes = options.notes;
    this.#linter = options.linter;
    this.collected = this.#collect ? [] : null;
  }

  /** The family of the last sample or metadata line, or null before the first. */
  get current(): FamilyState | null {
    return this.#current;
  }

  /** Why the last call failed. */
  get failure(): ParseFailure | null {
    return this.#failure;
  }

  /** How many families there are. */
  get count(): number {
    return this.#families.size;
  }

  /**
   * The family of a sample that does not belong to the current one: a family of that exact name,
   * or of that name less a suffix its type allows (text 0.0.4 may come back to a family, as
   * expfmt's parser allows), or a new family of unknown type. It becomes the current family.
   */
  familyOf(name: string): FamilyState | null {
    let fam = this.#families.get(name);
    if (fam === undefined) {
      for (const suffix of SUFFIXES) {
        if (!name.endsWith(suffix)) continue;
        const base = this.#families.get(name.slice(0, -suffix.length));
        if (base !== undefined && typeAllows(base.type, suffix)) fam = base;
        break;
      }
    }
    if (fam === undefined) return (this.#current = this.#newFamily(name));
    if (this.#om && fam !== this.#current && this.#notes !== null) {
      this.#notes.note(
        Tolerance.familyInterleaved,
        this.#cursor.line,
        `the samples of family ${quoteString(fam.name)} go on after ${this.#currentName()}; Prometheus accepts it, but OpenMetrics 1.0 forbids interleaved families`,
      );
    } else if (this.#om && fam !== this.#current) {
      // OpenMetrics 1.0, "MetricFamily": "MetricFamilies MUST NOT be interleaved."
      const c = this.#cursor;
      this.#failure = {
        line: c.line,
        column: c.nameColumn(),
        message:
          `expected the samples of family ${quoteString(fam.name)} together (OpenMetrics families ` +
          `must not be interleaved), got ${quoteString(name)} after ${this.#currentName()}`,
      };
      return null;
    }
    return (this.#current = fam);
  }

  #currentName(): string {
    return this.#current === null ? 'the start' : `family ${quoteString(this.#current.name)}`;
  }

  #newFamily(name: string): FamilyState {
    const fam = new FamilyState(name, this.#cursor.line, this.#families.size, this.#collect);
    this.#families.set(name, fam);
    if (this.collected !== null && fam.out !== null) this.collected.push(fam.out);
    if (this.#linter !== null) this.#linter.family(fam);
    return fam;
  }

  /**
   * HELP, TYPE and UNIT. Text 0.0.4 ("Only one TYPE line may exist for a given metric name. The
   * TYPE line for a metric name must appear before the first sample is reported for that metric
   * name. […] Only one HELP line may exist for any given metric name."); OpenMetrics 1.0 (ABNF
   * `metricfamily = *metric-descriptor *metric`; "There MUST NOT be more than one of each type of
   * metadata line for a MetricFamily"). Prometheus 2.42's scrape parser checks none of this;
   * `promtool check metrics` refuses a second TYPE or HELP.
   */
  metadata(kind: MetadataEntry): boolean {
    const c = this.#cursor;
    const name = c.metaName();
    const what = kind === Entry.Help ? '# HELP' : kind === Entry.Type ? '# TYPE' : '# UNIT';
    const notes = this.#notes;
    let fam = this.#families.get(name);
    if (fam === undefined) {
      fam = this.#newFamily(name);
    } else if (this.#om && fam !== this.#current) {
      if (notes === null) {
        return this.#failMeta(
          `the metadata and samples of family ${quoteString(name)} together (OpenMetrics families ` +
            `must not be interleaved), got ${what} after ${this.#currentName()}`,
        );
      }
      notes.note(
        Tolerance.metaInterleaved,
        c.line,
        `${what} for ${quoteString(name)} comes after ${this.#currentName()}; Prometheus accepts it, but OpenMetrics 1.0 keeps a family's metadata and samples together`,
      );
    } else if (this.#om && fam.samples > 0) {
      if (notes === null) {
        return this.#failMeta(
          `${what} before the samples of ${quoteString(name)}, got it after them`,
        );
      }
      notes.note(
        Tolerance.metaAfterSamples,
        c.line,
        `${what} for ${quoteString(name)} comes after its samples; Prometheus accepts it, but OpenMetrics 1.0 puts a family's metadata first`,
      );
    }
    this.#current = fam;
    if (kind === Entry.Help) {
      if (!fam.hasHelp) fam.setHelp(c.helpText());
      else if (!this.#second(Tolerance.secondHelp, what, name)) return false;
      if ((this.#linter !== null || notes !== null) && c.helpHasUnknownEscape())
        this.#helpEscape(fam);
    } else if (kind === Entry.Type) {
      if (fam.hasType) return this.#second(Tolerance.secondType, what, name);
      if (fam.samples > 0 && !this.#om) {
        if (notes === null) {
          return this.#failMeta(
            `# TYPE before the first sample of ${quoteString(name)}, got it after`,
          );
        }
        notes.note(
          Tolerance.typeAfterSamples,
          c.line,
          `# TYPE for ${quoteString(name)} comes after its samples; Prometheus accepts it, but ${notes.forbids}`,
        );
      }
      fam.setType(c.metricType);
    } else {
      if (fam.hasUnit) return this.#second(Tolerance.secondUnit, what, name);
      fam.setUnit(c.unitText());
    }
    return true;
  }

  /**
   * A second HELP, TYPE or UNIT for a family: a failure, or in scrape mode a warning (Prometheus's
   * parsers hand every metadata line to the scrape cache, which keeps the last; this stream keeps
   * the first).
   */
  #second(kind: Tolerance, what: string, name: string): boolean {
    const notes = this.#notes;
    if (notes === null)
      return this.#failMeta(`one ${what} line for ${quoteString(name)}, got a second`);
    notes.note(
      kind,
      this.#cursor.line,
      `a second ${what} for ${quoteString(name)}; Prometheus accepts it, but ${notes.forbids}`,
    );
    return true;
  }

  /** A HELP text with a backslash that is no escape: a lint warning, or a scrape-mode one. */
  #helpEscape(fam: FamilyState): void {
    const notes = this.#notes;
    if (notes === null) {
      this.#linter?.helpEscape(fam, this.#cursor.line);
      return;
    }
    notes.note(
      Tolerance.helpEscape,
      this.#cursor.line,
      `the # HELP text of ${quoteString(fam.name)} has a backslash that is not an escape (${this.#om ? '\\\\, \\" or \\n' : '\\\\ or \\n'}); Prometheus keeps it as written, but ${notes.forbids}`,
    );
  }

  #failMeta(expected: string): boolean {
    const c = this.#cursor;
    this.#failure = {
      line: c.line,
      column: c.metaColumn(),
      message: `expected ${expected}`,
    };
    return false;
  }
}
