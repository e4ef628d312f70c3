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

/**
 * Fails when any secret (token, password, PEM key), or anything shaped like one (a JWT, an EKS
 * token, a private key block), appears in what a test produced: outputs may carry a token's claims,
 * never the token.
 */
export function assertNoSecrets(outputs: readonly unknown[], secrets: Iterable<string>): void {
  const texts = outputs.map((o) => (typeof o === 'string' ? o : JSON.stringify(o)));
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
  for (const text of texts) {
    assert.doesNotMatch(
      text,
      /k8s-aws-v1\.[A-Za-z0-9_-]{20}/,
      'an EKS token appears in the output',
    );
    assert.doesNotMatch(
      text,
      /eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\./,
      'a JWT appears in the output',
    );
    assert.doesNotMatch(text, /PRIVATE KEY/, 'a private key appears in the output');
  }
}
