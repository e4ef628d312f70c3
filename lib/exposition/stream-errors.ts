/**
 * The failures the stream finds itself, beyond one line's grammar: limits over lines, and how the
 * input ends. Each in the one template of parse errors (what was expected, what was found, where;
 * Prometheus `promparse.go`, `parseError`).
 */
import type { ParseFailure } from './types.ts';

/**
 * A line longer than `maxLine`, `column` being where the limit fell. Prometheus has no such
 * limit; an unbounded line would grow memory without bound.
 */
export function lineTooLong(line: number, column: number, maxLine: number): ParseFailure {
  return {
    line,
    column,
    message: `expected a line of at most ${maxLine} bytes (maxLineBytes), got a longer line`,
  };
}

/** Scrape mode: a sample starting on line `line` that spans lines and more than `maxLine` bytes. */
export function entryTooLong(line: number, maxLine: number): ParseFailure {
  return {
    line,
    column: 1,
    message: `expected a sample of at most ${maxLine} bytes (maxLineBytes) over its lines, got a longer one`,
  };
}

/** openmetricsparse.go: "unexpected data after # EOF", the `# EOF` being on line `eofLine`. */
export function dataAfterEof(eofLine: number): ParseFailure {
  return {
    line: eofLine + 1,
    column: 1,
    message: 'expected the end of the input after "# EOF", got more bytes',
  };
}

/**
 * openmetricsparse.go: "data does not end with # EOF". Where: past the end of a last line that
 * lacks its line feed, or at the start of the empty line after the input.
 */
export function noEof(line: number, column: number): ParseFailure {
  return {
    line,
    column,
    message: 'expected "# EOF" as the last line, got end of input',
  };
}
