/**
 * The independent SigV4 implementation the tests check scrape-check against: Debian's
 * python3-botocore (and awscli's `eks get-token` code) in one long-lived /usr/bin/python3 process.
 * `python3` on PATH may be a pyenv one without botocore, hence the absolute path.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

export const PYTHON = '/usr/bin/python3';
export const AWS_CLI = '/usr/bin/aws';
const WORKER = fileURLToPath(new URL('./botocore_worker.py', import.meta.url));

/** Why botocore/awscli cannot be used here, or null when they can. */
export function botocoreMissing(): string | null {
  const probe = spawnSync(PYTHON, ['-c', 'import botocore, awscli.customizations.eks.get_token'], {
    encoding: 'utf8',
  });
  if (probe.error !== undefined) return `${PYTHON} cannot run (${probe.error.message})`;
  if (probe.status !== 0)
    return `${PYTHON} lacks python3-botocore or awscli: ${probe.stderr.trim().split('\n').pop() ?? ''}`;
  const cli = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
  if (cli.error !== undefined || cli.status !== 0) return `${AWS_CLI} (awscli) is missing`;
  return null;
}

/**
 * For `describe(name, { skip: skipWithoutBotocore() })`: false when botocore and awscli are here;
 * otherwise prints why and returns it as the skip reason, or throws under CI=true, where they must
 * be installed (apt-get install python3-botocore awscli).
 */
export function skipWithoutBotocore(): string | false {
  const missing = botocoreMissing();
  if (missing === null) return false;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${missing}`);
  console.log(`# skipped: ${missing}`);
  return missing;
}

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

type Answer = { id: number; signature?: string; token?: string; error?: string };

/**
 * One botocore worker process. Close it when done. With `awscli: true` it runs the botocore that
 * awscli v2 vendors (the one `/usr/bin/aws` signs with); otherwise Debian's python3-botocore.
 */
export class Botocore {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting = new Map<number, (answer: Answer) => void>();
  #next = 0;

  constructor(options: { awscli?: boolean } = {}) {
    const args = options.awscli === true ? [WORKER, '--awscli'] : [WORKER];
    this.#child = spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    createInterface({ input: this.#child.stdout }).on('line', (line) => {
      const answer = JSON.parse(line) as Answer;
      this.#waiting.get(answer.id)?.(answer);
      this.#waiting.delete(answer.id);
    });
    this.#child.stderr.on('data', (chunk: Buffer) =>
      process.stderr.write(`[botocore] ${chunk.toString()}`),
    );
  }

  async #ask(request: Record<string, unknown>): Promise<Answer> {
    const id = this.#next++;
    const answer = new Promise<Answer>((resolve) => this.#waiting.set(id, resolve));
    this.#child.stdin.write(`${JSON.stringify({ ...request, id })}\n`);
    const result = await answer;
    if (result.error !== undefined) throw new Error(`botocore: ${result.error}`);
    return result;
  }

  /** The signature botocore computes for a presigned GET URL (given without X-Amz-Signature). */
  async presignSignature(
    url: string,
    headers: Record<string, string>,
    service: string,
    region: string,
    creds: Creds,
  ): Promise<string> {
    return (
      (await this.#ask({ op: 'presign', url, headers, service, region, ...creds })).signature ?? ''
    );
  }

  /** The signature botocore computes for a header-signed request (only the signed headers). */
  async headerSignature(
    request: { method: string; url: string; headers: Record<string, string>; body: Buffer },
    service: string,
    region: string,
    creds: Creds,
  ): Promise<string> {
    const { method, url, headers, body } = request;
    return (
      (
        await this.#ask({
          op: 'header',
          method,
          url,
          headers,
          body: body.toString('base64'),
          service,
          region,
          ...creds,
        })
      ).signature ?? ''
    );
  }

  /** awscli's `TokenGenerator` token for a cluster, signed at `amzDate` (`20261124T225940Z`). */
  async eksToken(cluster: string, region: string, amzDate: string, creds: Creds): Promise<string> {
    return (await this.#ask({ op: 'eks-token', cluster, region, amzDate, ...creds })).token ?? '';
  }

  close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}
