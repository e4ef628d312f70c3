/**
 * Which format a body is in, when no Content-Type says: OpenMetrics 1.0 bodies end with `# EOF`
 * ("The exposition MUST end with an EOF", OpenMetrics 1.0, "Overall Structure"), which text 0.0.4
 * bodies have no reason to.
 */
import type { ExpositionFormat } from './types.ts';

const TAIL = [0x23, 0x20, 0x45, 0x4f, 0x46]; // "# EOF"

/**
 * `'openmetrics'` when the text ends in a `# EOF` line (one trailing line feed allowed), else
 * `'prometheus'`. Only the last bytes are read.
 *
 * @example
 * detectFormat('a_total 1\n# EOF\n'); // 'openmetrics'
 */
export function detectFormat(text: Uint8Array | string): ExpositionFormat {
  if (typeof text === 'string') {
    const t = text.endsWith('\n') ? text.slice(0, -1) : text;
    return t === '# EOF' || t.endsWith('\n# EOF') ? 'openmetrics' : 'prometheus';
  }
  return endsWithEof(text) ? 'openmetrics' : 'prometheus';
}

/** Whether the bytes end in a `# EOF` line, with or without its line feed. */
export function endsWithEof(b: Uint8Array): boolean {
  let end = b.length;
  if (end > 0 && b[end - 1] === 0x0a) end--;
  const start = end - TAIL.length;
  if (start < 0) return false;
  for (let k = 0; k < TAIL.length; k++) if (b[start + k] !== TAIL[k]) return false;
  return start === 0 || b[start - 1] === 0x0a;
}
