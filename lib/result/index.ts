export { REASONS, isReason } from './reasons.ts';
export type { Reason } from './reasons.ts';
export { jsonValue } from './types.ts';
export type {
  CheckResult,
  Exemplar,
  JsonSampleValue,
  Limits,
  Phases,
  RunReport,
  RunSummary,
  Sample,
  TlsInfo,
  TokenInfo,
} from './types.ts';
