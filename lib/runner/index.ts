export { runChecks, SelectionError } from './run.ts';
export type { RunOptions } from './run.ts';
export { selectChecks } from './select.ts';
export type { Selection, SelectionResult } from './select.ts';
