/**
 * What the stream remembers about each metric family while it reads: enough to attach samples,
 * to refuse a second `# TYPE` or an interleaved family, and (with `collect`) the output itself.
 */
import type { Sample } from '#lib/result/types.ts';
import type { MetricType } from './families.ts';
import { MetricType as MT, TYPE_NAMES } from './families.ts';
import type { Family } from './types.ts';

const encoder = new TextEncoder();

export class FamilyState {
  readonly name: string;
  /** The name's UTF-8 bytes, to compare with a line without building a string. */
  readonly nameBytes: Uint8Array;
  /** The line the family first appeared on. */
  readonly line: number;
  type: MetricType = MT.unknown;
  hasType = false;
  hasHelp = false;
  hasUnit = false;
  help = '';
  unit = '';
  samples = 0;
  /** The family as `--json` prints it, when collecting. */
  readonly out: Family | null;
  /** Set by the lint pass. */
  lint: unknown = null;

  constructor(name: string, line: number, collect: boolean) {
    this.name = name;
    this.nameBytes = encoder.encode(name);
    this.line = line;
    this.out = collect
      ? { name, type: 'unknown', help: '', unit: '', samples: [] as Sample[] }
      : null;
  }

  setType(type: MetricType): void {
    this.type = type;
    this.hasType = true;
    if (this.out !== null) this.out.type = TYPE_NAMES[type];
  }

  setHelp(help: string): void {
    this.help = help;
    this.hasHelp = true;
    if (this.out !== null) this.out.help = help;
  }

  setUnit(unit: string): void {
    this.unit = unit;
    this.hasUnit = true;
    if (this.out !== null) this.out.unit = unit;
  }
}
