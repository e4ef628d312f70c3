/**
 * Local EKS and STS endpoints on 127.0.0.1 (one plain-HTTP server, told apart by the SigV4
 * credential scope), reached through AWS_ENDPOINT_URL_EKS / AWS_ENDPOINT_URL_STS. EKS speaks
 * REST-JSON (DescribeCluster, ResourceNotFoundException, ThrottlingException for the next N calls);
 * STS speaks the query protocol with XML (AssumeRole). Every request's SigV4 signature is
 * recomputed by botocore and refused when it differs.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Botocore } from './botocore.ts';
import type { AwsWorld, Principal } from './world.ts';

export interface EksClusterRecord {
  name: string;
  endpoint: string;
  caPem: string;
  version: string;
  status: string;
  publicAccess?: boolean;
}

export interface AwsCall {
  service: 'eks' | 'sts';
  action: string;
  caller: string | null;
  status: number;
}

const AUTH =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/;

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export class LocalAws {
  readonly clusters = new Map<string, EksClusterRecord>();
  readonly calls: AwsCall[] = [];
  /** The next this-many EKS calls answer ThrottlingException. */
  throttleEks = 0;
  #server: Server | undefined;
  url = '';

  readonly world: AwsWorld;
  readonly botocore: Botocore;

  constructor(world: AwsWorld, botocore: Botocore) {
    this.world = world;
    this.botocore = botocore;
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.#server?.close(() => {
        resolve();
      }),
    );
  }

  count(service: 'eks' | 'sts', action: string): number {
    return this.calls.filter((c) => c.service === service && c.action === action).length;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const match = AUTH.exec(req.headers.authorization ?? '');
    const service = match?.[4] === 'sts' ? 'sts' : 'eks';
    const send = (
      status: number,
      action: string,
      caller: Principal | null,
      payload: string,
      headers: Record<string, string>,
    ) => {
      this.calls.push({ service, action, caller: caller?.arn ?? null, status });
      res.writeHead(status, { 'x-amzn-requestid': randomUUID(), ...headers });
      res.end(payload);
    };
    const fail = (
      status: number,
      code: string,
      message: string,
      action: string,
      caller: Principal | null,
    ) => {
      if (service === 'sts') {
        const xml = `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
        send(status, action, caller, xml, { 'content-type': 'text/xml' });
      } else {
        send(status, action, caller, JSON.stringify({ message }), {
          'content-type': 'application/json',
          'x-amzn-errortype': code,
        });
      }
    };
    const form = new URLSearchParams(body.toString('utf8'));
    const action = service === 'sts' ? (form.get('Action') ?? '?') : 'DescribeCluster';
    if (match === null) {
      fail(
        403,
        'MissingAuthenticationTokenException',
        'Missing Authentication Token',
        action,
        null,
      );
      return;
    }
    const [, keyId = '', , region = '', , signedHeaders = '', signature = ''] = match;
    const caller = this.world.lookup(keyId);
    if (caller === undefined) {
      fail(
        403,
        service === 'sts' ? 'InvalidClientTokenId' : 'UnrecognizedClientException',
        'The security token included in the request is invalid.',
        action,
        null,
      );
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of signedHeaders.split(';')) headers[name] = String(req.headers[name] ?? '');
    const expected = await this.botocore.headerSignature(
      { method: req.method ?? 'GET', url: `${this.url}${req.url ?? '/'}`, headers, body },
      service,
      region,
      caller,
    );
    if (expected !== signature) {
      fail(
        403,
        service === 'sts' ? 'SignatureDoesNotMatch' : 'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided.',
        action,
        caller,
      );
      return;
    }
    if (service === 'sts') {
      this.#sts(form, caller, send, fail);
      return;
    }
    if (this.throttleEks > 0) {
      this.throttleEks -= 1;
      fail(429, 'ThrottlingException', 'Rate exceeded', action, caller);
      return;
    }
    const name = decodeURIComponent((req.url ?? '').replace(/^\/clusters\//, ''));
    const cluster = this.clusters.get(name);
    if (cluster === undefined) {
      fail(404, 'ResourceNotFoundException', `No cluster found for name: ${name}.`, action, caller);
      return;
    }
    const described = {
      cluster: {
        name: cluster.name,
        arn: `arn:aws:eks:${region}:111122223333:cluster/${cluster.name}`,
        createdAt: 1_700_000_000,
        version: cluster.version,
        endpoint: cluster.endpoint,
        certificateAuthority: { data: Buffer.from(cluster.caPem).toString('base64') },
        status: cluster.status,
        platformVersion: 'eks.7',
        resourcesVpcConfig: {
          endpointPublicAccess: cluster.publicAccess ?? true,
          endpointPrivateAccess: true,
        },
        accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' },
      },
    };
    send(200, action, caller, JSON.stringify(described), {
      'content-type': 'application/json',
    });
  }

  #sts(
    form: URLSearchParams,
    caller: Principal,
    send: (
      status: number,
      action: string,
      caller: Principal | null,
      payload: string,
      headers: Record<string, string>,
    ) => void,
    fail: (
      status: number,
      code: string,
      message: string,
      action: string,
      caller: Principal | null,
    ) => void,
  ): void {
    const action = form.get('Action') ?? '?';
    if (action !== 'AssumeRole') {
      fail(400, 'InvalidAction', `Could not find operation ${action}`, action, caller);
      return;
    }
    const roleArn = form.get('RoleArn') ?? '';
    const role = this.world.roles.get(roleArn);
    const denied = `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    if (role === undefined || !role.trusted.includes(caller.principalArn)) {
      fail(403, 'AccessDenied', denied, action, caller);
      return;
    }
    if (role.externalId !== undefined && form.get('ExternalId') !== role.externalId) {
      fail(403, 'AccessDenied', denied, action, caller);
      return;
    }
    const session = this.world.assume(
      roleArn,
      form.get('RoleSessionName') ?? 'session',
      Date.now(),
    );
    const xml = `<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>${session.accessKeyId}</AccessKeyId><SecretAccessKey>${xmlEscape(session.secretAccessKey)}</SecretAccessKey><SessionToken>${xmlEscape(session.sessionToken ?? '')}</SessionToken><Expiration>${new Date(session.expiresAt ?? 0).toISOString()}</Expiration></Credentials><AssumedRoleUser><AssumedRoleId>AROA3XFRBF535PLBIFPI4:${form.get('RoleSessionName') ?? ''}</AssumedRoleId><Arn>${session.arn}</Arn></AssumedRoleUser></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></AssumeRoleResponse>`;
    send(200, action, caller, xml, { 'content-type': 'text/xml' });
  }
}
