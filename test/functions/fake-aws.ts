/**
 * A loopback stand-in for the AWS APIs the functions call, speaking their real wire protocols: SQS
 * (AWS JSON 1.0), SSM and Secrets Manager (AWS JSON 1.1), Lambda Invoke (REST) and S3 GetObject
 * (REST). The SDK clients reach it through AWS_ENDPOINT_URL_<SERVICE>; every call is recorded.
 */
import { createHash, randomUUID } from 'node:crypto';
import { startServer, type RecordedRequest, type TestServer } from '../sinks/fixtures.ts';

export interface FakeAws extends TestServer {
  /** Message bodies SendMessageBatch received, in order. */
  sqsBodies: string[];
  /** Payloads of Lambda Event invocations, by function name. */
  invocations: { functionName: string; invocationType: string; payload: unknown }[];
  parameters: Map<string, string>;
  secrets: Map<string, string>;
  objects: Map<string, string>;
  /** Answers the next Invoke calls with this status (e.g. 500) instead of 202. */
  failInvokes: number;
  calls: RecordedRequest[];
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

export async function startFakeAws(): Promise<FakeAws> {
  // The server reads this object at each request, so a test can change it (failInvokes) later.
  const state = {
    sqsBodies: [] as string[],
    invocations: [] as FakeAws['invocations'],
    parameters: new Map<string, string>(),
    secrets: new Map<string, string>(),
    objects: new Map<string, string>(),
    failInvokes: 0,
    calls: [] as RecordedRequest[],
  };
  const server = await startServer((req, res) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const json = (status: number, body: unknown, type = 'application/x-amz-json-1.1'): void => {
      res.writeHead(status, { 'content-type': type });
      res.end(JSON.stringify(body));
    };
    if (target === 'AmazonSQS.SendMessageBatch') {
      const input = JSON.parse(req.body.toString()) as {
        Entries: { Id: string; MessageBody: string }[];
      };
      const successful = input.Entries.map((e) => {
        state.sqsBodies.push(e.MessageBody);
        return { Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) };
      });
      json(200, { Successful: successful, Failed: [] }, 'application/x-amz-json-1.0');
      return;
    }
    if (target === 'AmazonSSM.GetParameter') {
      const { Name } = JSON.parse(req.body.toString()) as { Name: string };
      const value = state.parameters.get(Name);
      if (value === undefined) json(400, { __type: 'ParameterNotFound', message: `no ${Name}` });
      else json(200, { Parameter: { Name, Type: 'SecureString', Value: value, Version: 1 } });
      return;
    }
    if (target === 'secretsmanager.GetSecretValue') {
      const { SecretId } = JSON.parse(req.body.toString()) as { SecretId: string };
      const value = state.secrets.get(SecretId);
      if (value === undefined)
        json(400, { __type: 'ResourceNotFoundException', message: `no ${SecretId}` });
      else
        json(200, {
          ARN: `arn:aws:secretsmanager:eu-west-1:111122223333:secret:${SecretId}`,
          Name: SecretId,
          SecretString: value,
        });
      return;
    }
    const invoke = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url);
    if (invoke && req.method === 'POST') {
      if (state.failInvokes > 0) {
        state.failInvokes--;
        json(500, { Type: 'Service', message: 'ServiceException' }, 'application/json');
        return;
      }
      state.invocations.push({
        functionName: decodeURIComponent(invoke[1]!),
        invocationType: String(req.headers['x-amz-invocation-type']),
        payload: JSON.parse(req.body.toString()) as unknown,
      });
      res.writeHead(202, { 'x-amzn-requestid': randomUUID() });
      res.end();
      return;
    }
    if (req.method === 'GET') {
      const key = decodeURIComponent(req.url.split('?')[0]!.slice(1));
      const object = state.objects.get(key);
      if (object === undefined) {
        res.writeHead(404, { 'content-type': 'application/xml' });
        res.end(
          '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
        );
      } else {
        res.writeHead(200, { 'content-type': 'text/yaml', etag: `"${md5(object)}"` });
        res.end(object);
      }
      return;
    }
    json(400, { __type: 'UnknownOperation', message: `${req.method} ${req.url} ${target}` });
  });
  state.calls = server.requests;
  return Object.assign(state, {
    url: server.url,
    requests: server.requests,
    close: () => server.close(),
  });
}

/** Points every AWS client at the fake, with static credentials. Call before importing a handler. */
export function useFakeAws(url: string): void {
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = 'AKIDFAKE';
  process.env.AWS_SECRET_ACCESS_KEY = 'fake-aws-secret-key';
  for (const service of ['SQS', 'SSM', 'S3', 'SECRETS_MANAGER', 'LAMBDA', 'STS', 'EKS']) {
    process.env[`AWS_ENDPOINT_URL_${service}`] = url;
  }
}
