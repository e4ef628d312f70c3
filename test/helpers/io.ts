/** In-memory stdout/stderr for calling `main()` in-process, and a check that no secret escaped. */
import assert from 'node:assert/strict';
import { PassThrough, Writable } from 'node:stream';
import type { Io } from '#lib/cli/io.ts';

export interface CapturedIo extends Io {
  out(): string;
  err(): string;
}

class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

export function captureIo(stdinText = ''): CapturedIo {
  const stdout = new Capture();
  const stderr = new Capture();
  const stdin = new PassThrough();
  stdin.end(stdinText);
  return { stdout, stderr, stdin, out: () => stdout.text, err: () => stderr.text };
}

/** Fails when any secret (token, password, PEM key) appears in any of the texts. */
export function assertNoSecrets(texts: readonly string[], secrets: readonly string[]): void {
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    const probes = [secret];
    // A PEM key leaks just as well in pieces: look for its base64 body lines too.
    if (secret.includes('-----BEGIN'))
      probes.push(...secret.split('\n').filter((l) => l.length > 40));
    for (const text of texts) {
      for (const probe of probes) {
        assert.ok(!text.includes(probe), `a secret leaked into output: …${probe.slice(0, 6)}…`);
      }
    }
  }
}
