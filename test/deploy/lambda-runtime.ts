/**
 * Runs a built function the way the Lambda Node.js runtime does: the zip unpacked on its own (no
 * project node_modules anywhere above it), the handler named by the function's `Handler` string,
 * loaded by the Runtime Interface Client from npm (`aws-lambda-ric`, what AWS's own Node.js images
 * run), talking to a Runtime API that this module serves on 127.0.0.1
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html: `invocation/next`,
 * `invocation/{id}/response`, `invocation/{id}/error`, `init/error`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const RIC = fileURLToPath(
  new URL('../../node_modules/aws-lambda-ric/bin/index.mjs', import.meta.url),
);

/** What one invocation gave back. */
export interface Outcome {
  requestId: string;
  /** The handler's result (the `/response` body, parsed). */
  response?: unknown;
  /** The `/error` body (`errorType`, `errorMessage`). */
  error?: { errorType?: string; errorMessage?: string };
}

export interface RuntimeRun {
  outcomes: Outcome[];
  /** From spawn to the first `invocation/next`: process start, the RIC, and the handler's module init. */
  initMs: number;
  /** Each invocation's duration, from handing out the event to its response. */
  durationsMs: number[];
  initError?: unknown;
  stdout: string;
  stderr: string;
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Starts `handler` in `taskRoot` under the RIC, hands it `events` one by one, and stops it when
 * all are answered (or after `timeoutMs`).
 */
export async function runInRuntime(options: {
  taskRoot: string;
  handler: string;
  functionName: string;
  env: Record<string, string>;
  events: unknown[];
  timeoutMs?: number;
}): Promise<RuntimeRun> {
  const pending = [...options.events];
  const run: RuntimeRun = { outcomes: [], initMs: 0, durationsMs: [], stdout: '', stderr: '' };
  const started = performance.now();
  let handedOut = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => {
    done = resolve;
  });
  const answer = (res: ServerResponse, status = 202): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end('{"status":"OK"}');
  };
  const server = createServer((req, res) => {
    void (async () => {
      const url = req.url ?? '';
      const text = await body(req);
      if (url === '/2018-06-01/runtime/invocation/next') {
        if (run.initMs === 0) run.initMs = performance.now() - started;
        const event = pending.shift();
        if (event === undefined) {
          // Lambda freezes the process here; the test ends it.
          done();
          return;
        }
        const requestId = randomUUID();
        run.outcomes.push({ requestId });
        handedOut = performance.now();
        res.writeHead(200, {
          'content-type': 'application/json',
          'lambda-runtime-aws-request-id': requestId,
          'lambda-runtime-deadline-ms': String(Date.now() + 60_000),
          'lambda-runtime-invoked-function-arn': `arn:aws:lambda:eu-west-1:111122223333:function:${options.functionName}`,
          'lambda-runtime-trace-id': `Root=1-${Date.now().toString(16)}-${randomUUID().replaceAll('-', '').slice(0, 24)};Sampled=0`,
        });
        res.end(JSON.stringify(event));
        return;
      }
      const invocation = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(url);
      if (invocation && req.method === 'POST') {
        const outcome = run.outcomes.find((o) => o.requestId === invocation[1]);
        if (outcome) {
          run.durationsMs.push(performance.now() - handedOut);
          if (invocation[2] === 'response')
            outcome.response = text === '' ? null : JSON.parse(text);
          else outcome.error = JSON.parse(text) as NonNullable<Outcome['error']>;
        }
        answer(res);
        return;
      }
      if (url === '/2018-06-01/runtime/init/error') {
        run.initError = JSON.parse(text);
        answer(res);
        done();
        return;
      }
      answer(res, 404);
    })();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const child: ChildProcess = spawn(process.execPath, [RIC, options.handler], {
    cwd: options.taskRoot,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      LAMBDA_TASK_ROOT: options.taskRoot,
      _HANDLER: options.handler,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_FUNCTION_NAME: options.functionName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '512',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${options.functionName}`,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (run.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
  const exited = once(child, 'exit');
  const timer = setTimeout(done, options.timeoutMs ?? 30_000);
  await Promise.race([finished, exited]);
  clearTimeout(timer);
  child.kill('SIGKILL');
  await exited.catch(() => undefined);
  server.closeAllConnections();
  server.close();
  return run;
}
