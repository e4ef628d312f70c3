/**
 * A Kubernetes API emulator for scrape-check's tests, over TLS on 127.0.0.1 port 0 (certificates
 * from lib/lab/certs.ts). It authenticates bearer tokens (static, its own ServiceAccount JWTs with
 * real expiry, legacy Secret tokens, EKS tokens verified with botocore) and client certificates,
 * evaluates RBAC from the objects it holds, answers TokenRequest and SubjectAccessReview, serves
 * Secrets, /version, /metrics, the EKS ksh/kcm paths and the kubelet through the node proxy, and
 * answers 401/403 with the API server's Status bodies. Its object store (`objects`, see
 * emulator-objects.ts) serves get and list of namespaces, nodes, pods, services, endpoints,
 * endpointslices and ingresses; `/sd/<role>` (and `startSdBridge()` over plain HTTP) serves what
 * Prometheus 2.42's Kubernetes discovery would find in it, as http_sd JSON (sd-bridge.ts).
 */
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseAllDocuments } from 'yaml';
import { makeCa, makeLeaf, type Issued } from '#lib/lab/certs.ts';
import type { Botocore } from '../aws/botocore.ts';
import type { AwsWorld } from '../aws/world.ts';
import { API_AUDIENCE, ISSUER, JwtSigner, LEGACY_ISSUER, verifyEksToken } from './emulator-auth.ts';
import {
  EXPOSITION_TYPE,
  METRICS,
  startComponent,
  startEtcd,
  status,
  type ComponentServer,
  type EtcdServer,
} from './emulator-extras.ts';
import {
  Rbac,
  forbiddenMessage,
  type Attributes,
  type BindingObject,
  type RoleObject,
  type UserInfo,
} from './emulator-rbac.ts';
import {
  ObjectStore,
  emulatorNodeOf,
  isStoredKind,
  nodeFromEmulatorNode,
  storedKindNamespaced,
  type KubeObject,
} from './emulator-objects.ts';
import { objectRoute } from './emulator-objects-http.ts';
import {
  OperatorObjects,
  isOperatorKind,
  operatorRoute,
  type CustomObject,
} from './emulator-operator.ts';
import { handleBridgeRequest, startBridgeServer } from './sd-bridge.ts';

export interface EmulatorNode {
  name: string;
  controlPlane?: boolean;
  address?: string | null;
}

export interface EksOptions {
  clusterName: string;
  region: string;
  world: AwsWorld;
  botocore: Botocore;
  /** EKS access entries: IAM principal ARN → Kubernetes groups (and username). */
  accessEntries: { principalArn: string; groups: string[]; username?: string }[];
}

export interface EmulatorOptions {
  flavor: 'eks' | 'self-managed';
  /** `1.30` by default. */
  version?: string;
  eks?: EksOptions;
  nodes?: EmulatorNode[];
  /** The API server's --service-account-max-token-expiration, in seconds: longer requests are cut. */
  maxTokenSeconds?: number;
}

export interface SecretObject {
  apiVersion: 'v1';
  kind: 'Secret';
  type: string;
  metadata: {
    name: string;
    namespace: string;
    annotations?: Record<string, string>;
    labels?: Record<string, string>;
  };
  data: Record<string, string>;
}

interface Route {
  attrs: Attributes;
  handle: (user: UserInfo, body: unknown) => { status: number; body: unknown; type?: string };
}

const NOT_FOUND = status(404, 'NotFound', 'the server could not find the requested resource');

export class K8sEmulator {
  readonly rbac = new Rbac();
  readonly signer = new JwtSigner();
  readonly serviceAccounts = new Map<string, { uid: string }>();
  readonly secrets = new Map<string, SecretObject>();
  readonly staticTokens = new Map<string, UserInfo>();
  readonly apiService = { present: true, available: true };
  readonly log: { method: string; path: string; user: string; status: number }[] = [];
  /** Every token the emulator issued or was shown: none may appear in an output. */
  readonly tokens = new Set<string>();
  readonly clientKeys: string[] = [];
  readonly adminToken = `admin-${randomBytes(16).toString('hex')}`;
  /** Every object the API serves lists of; nodes live here too. */
  readonly objects = new ObjectStore();
  /** The Prometheus Operator's resources and ConfigMaps (emulator-operator.ts). */
  readonly operator = new OperatorObjects();
  offsetMs = 0;
  url = '';
  ca!: Issued;
  #server!: Server;
  readonly #extras: ComponentServer[] = [];
  readonly #stops: (() => Promise<void>)[] = [];

  readonly options: EmulatorOptions;

  constructor(options: EmulatorOptions) {
    this.options = options;
    this.nodes = options.nodes ?? [
      { name: 'cp-1', controlPlane: true, address: '127.0.0.1' },
      { name: 'node-a', address: '10.0.1.11' },
      { name: 'node-b', address: '10.0.1.12' },
    ];
    this.staticTokens.set(this.adminToken, {
      username: 'admin',
      groups: ['system:masters', 'system:authenticated'],
    });
    this.tokens.add(this.adminToken);
  }

  static async start(options: EmulatorOptions): Promise<K8sEmulator> {
    const emu = new K8sEmulator(options);
    emu.ca = await makeCa({ commonName: 'kubernetes' });
    const leaf = await makeLeaf(emu.ca, {
      commonName: 'kube-apiserver',
      ips: ['127.0.0.1'],
      dns: ['localhost', 'kubernetes.default.svc'],
    });
    emu.#server = createServer(
      {
        key: leaf.keyPem,
        cert: leaf.certPem,
        ca: [emu.ca.certPem],
        requestCert: true,
        rejectUnauthorized: false,
      },
      (req, res) => {
        void emu.#handle(req, res).catch((error: unknown) => {
          res.writeHead(500).end(status(500, 'InternalError', String(error)));
        });
      },
    );
    await new Promise<void>((resolve) => emu.#server.listen(0, '127.0.0.1', resolve));
    emu.url = `https://127.0.0.1:${(emu.#server.address() as AddressInfo).port}`;
    return emu;
  }

  /** The nodes, as the objects store holds them. */
  get nodes(): EmulatorNode[] {
    return this.objects.all('nodes').map(emulatorNodeOf);
  }

  /** Replaces the nodes; a node that is unchanged keeps its full object. */
  set nodes(nodes: EmulatorNode[]) {
    const wanted = new Map(nodes.map((n) => [n.name, n]));
    for (const node of this.objects.all('nodes')) {
      const had = emulatorNodeOf(node);
      const want = wanted.get(had.name);
      const same =
        want !== undefined &&
        (want.controlPlane === true) === (had.controlPlane === true) &&
        (want.address ?? null) === had.address;
      if (same) wanted.delete(had.name);
      else this.objects.delete('nodes', undefined, had.name);
    }
    for (const n of wanted.values()) this.objects.put(nodeFromEmulatorNode(n));
  }

  /** Serves the http_sd bridge over plain HTTP too; returns its base URL (`http://127.0.0.1:port`). */
  async startSdBridge(): Promise<string> {
    const bridge = await startBridgeServer(this);
    this.#stops.push(() => bridge.stop());
    return bridge.url;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.#extras.map((e) => e.stop()), ...this.#stops.map((s) => s())]);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }

  /** The emulator's clock (ms), which tests move forward to expire tokens. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /**
   * Applies YAML manifests (deploy/kubernetes/*.yaml): ServiceAccounts, Roles, bindings, Secrets, and the
   * objects the store holds (a namespaced one without a namespace goes to `default`).
   */
  applyYaml(text: string): void {
    for (const doc of parseAllDocuments(text)) {
      const object = doc.toJS() as {
        kind?: string;
        metadata?: { name: string; namespace?: string; annotations?: Record<string, string> };
      } | null;
      if (object?.kind === undefined || object.metadata === undefined) continue;
      if (object.kind === 'ServiceAccount')
        this.addServiceAccount(object.metadata.namespace ?? 'default', object.metadata.name);
      else if (object.kind === 'Secret')
        this.addLegacySecret(
          object.metadata.namespace ?? 'default',
          object.metadata.name,
          object.metadata.annotations?.['kubernetes.io/service-account.name'] ?? '',
        );
      else if (isOperatorKind(object.kind)) this.operator.put(object as unknown as CustomObject);
      else if (isStoredKind(object.kind))
        this.objects.put({
          ...object,
          metadata: {
            ...object.metadata,
            ...(storedKindNamespaced(object.kind)
              ? { namespace: object.metadata.namespace ?? 'default' }
              : {}),
          },
        } as KubeObject);
      else this.rbac.apply(object as RoleObject | BindingObject);
    }
  }

  addServiceAccount(namespace: string, name: string): void {
    this.serviceAccounts.set(`${namespace}/${name}`, { uid: randomUUID() });
  }

  /** A `kubernetes.io/service-account-token` Secret, filled as the token controller would. */
  addLegacySecret(namespace: string, name: string, serviceAccount: string): string {
    const sa = this.serviceAccounts.get(`${namespace}/${serviceAccount}`);
    const token = this.signer.sign({
      iss: LEGACY_ISSUER,
      sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
      'kubernetes.io/serviceaccount/namespace': namespace,
      'kubernetes.io/serviceaccount/secret.name': name,
      'kubernetes.io/serviceaccount/service-account.name': serviceAccount,
      'kubernetes.io/serviceaccount/service-account.uid': sa?.uid ?? '',
    });
    this.tokens.add(token);
    this.secrets.set(`${namespace}/${name}`, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/service-account-token',
      metadata: {
        name,
        namespace,
        annotations: { 'kubernetes.io/service-account.name': serviceAccount },
      },
      data:
        sa === undefined
          ? {}
          : {
              token: Buffer.from(token).toString('base64'),
              'ca.crt': Buffer.from(this.ca.certPem).toString('base64'),
              namespace: Buffer.from(namespace).toString('base64'),
            },
    });
    return token;
  }

  /** Issues a TokenRequest token directly (as `kubectl create token`). */
  issueToken(
    namespace: string,
    name: string,
    expirationSeconds: number,
    audiences: string[] = [API_AUDIENCE],
  ): string {
    const sa = this.serviceAccounts.get(`${namespace}/${name}`);
    const iat = Math.floor(this.now() / 1000);
    const token = this.signer.sign({
      iss: ISSUER,
      sub: `system:serviceaccount:${namespace}:${name}`,
      aud: audiences,
      iat,
      nbf: iat,
      exp: iat + expirationSeconds,
      jti: randomUUID(),
      'kubernetes.io': { namespace, serviceaccount: { name, uid: sa?.uid ?? '' } },
    });
    this.tokens.add(token);
    return token;
  }

  /** A client certificate signed by the cluster CA: CN is the user, O the groups. */
  async clientCert(user: string, groups: string[] = []): Promise<Issued> {
    const issued = await makeLeaf(this.ca, { commonName: user, client: true });
    // @peculiar/x509 takes one name string; add O= for groups.
    const withGroups =
      groups.length === 0
        ? issued
        : await makeLeaf(this.ca, {
            commonName: `${user}, ${groups.map((g) => `O=${g}`).join(', ')}`,
            client: true,
          });
    this.clientKeys.push(withGroups.keyPem);
    return withGroups;
  }

  async startComponent(
    name: 'kube-scheduler' | 'kube-controller-manager',
  ): Promise<ComponentServer> {
    const server = await startComponent(
      name,
      (token) => this.authenticateToken(token),
      (user, attrs) => this.rbac.authorize(user, attrs),
    );
    this.#extras.push(server);
    return server;
  }

  async startEtcd(): Promise<EtcdServer> {
    const server = await startEtcd();
    this.clientKeys.push(server.client.keyPem);
    this.#extras.push(server);
    return server;
  }

  /** Every secret the emulator knows: tokens, client keys. */
  secretValues(): string[] {
    return [...this.tokens, ...this.clientKeys];
  }

  /** Authenticates a bearer token; null when it is refused. */
  async authenticateToken(token: string): Promise<UserInfo | null> {
    this.tokens.add(token);
    const known = this.staticTokens.get(token);
    if (known !== undefined) return known;
    if (token.startsWith('k8s-aws-v1.')) {
      const eks = this.options.eks;
      if (eks === undefined) return null;
      const verdict = await verifyEksToken(token, {
        clusterName: eks.clusterName,
        region: eks.region,
        world: eks.world,
        botocore: eks.botocore,
        now: this.now(),
      });
      if (!verdict.ok) return null;
      const entry = eks.accessEntries.find(
        (e) => e.principalArn === verdict.principal.principalArn,
      );
      if (entry === undefined) return null;
      return {
        username: entry.username ?? verdict.principal.arn,
        groups: [...entry.groups, 'system:authenticated'],
      };
    }
    const claims = this.signer.verify(token);
    if (claims === null) return null;
    const [, , namespace = '', name = ''] = claims.sub.split(':');
    const sa = this.serviceAccounts.get(`${namespace}/${name}`);
    if (sa === undefined) return null;
    if (claims.iss === ISSUER) {
      if (claims.exp === undefined || claims.exp * 1000 <= this.now()) return null;
      if (!(claims.aud ?? []).includes(API_AUDIENCE)) return null;
      if (claims['kubernetes.io']?.serviceaccount.uid !== sa.uid) return null;
    } else if (claims.iss === LEGACY_ISSUER) {
      const secret = this.secrets.get(
        `${namespace}/${claims['kubernetes.io/serviceaccount/secret.name'] ?? ''}`,
      );
      if (secret?.data.token !== Buffer.from(token).toString('base64')) return null;
      if (secret.metadata.labels?.['kubernetes.io/legacy-token-invalid-since'] !== undefined)
        return null;
    } else {
      return null;
    }
    return {
      username: claims.sub,
      groups: [
        'system:serviceaccounts',
        `system:serviceaccounts:${namespace}`,
        'system:authenticated',
      ],
    };
  }

  async #authenticate(req: IncomingMessage): Promise<UserInfo | null> {
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (bearer !== undefined) return this.authenticateToken(bearer);
    const socket = req.socket;
    if (socket instanceof TLSSocket && socket.authorized) {
      const subject = socket.getPeerCertificate().subject as unknown as Record<
        string,
        string | string[] | undefined
      >;
      const cn = subject.CN;
      const o = subject.O;
      return {
        username: Array.isArray(cn) ? (cn[0] ?? '') : (cn ?? ''),
        groups: [...(o === undefined ? [] : Array.isArray(o) ? o : [o]), 'system:authenticated'],
      };
    }
    return { username: 'system:anonymous', groups: ['system:unauthenticated'] };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const reply = (code: number, body: string, type = 'application/json', user = '-') => {
      this.log.push({ method, path: url.pathname, user, status: code });
      res.writeHead(code, { 'content-type': type }).end(body);
    };
    if (url.pathname.startsWith('/sd/') && method === 'GET') {
      this.log.push({ method, path: url.pathname, user: '-', status: 200 });
      await handleBridgeRequest(this, req, res);
      return;
    }
    const user = await this.#authenticate(req);
    if (user === null) {
      reply(401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const route = this.#route(method, url);
    if (route === null) {
      reply(404, NOT_FOUND, 'application/json', user.username);
      return;
    }
    const decision = this.rbac.authorize(user, route.attrs);
    if (!decision.allowed) {
      const details =
        route.attrs.kind === 'resource'
          ? {
              ...(route.attrs.name === undefined ? {} : { name: route.attrs.name }),
              ...(route.attrs.group === '' ? {} : { group: route.attrs.group }),
              kind: route.attrs.resource,
            }
          : {};
      reply(
        403,
        status(403, 'Forbidden', forbiddenMessage(user.username, route.attrs), details),
        'application/json',
        user.username,
      );
      return;
    }
    let body: unknown = null;
    if (chunks.length > 0) body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const answer = route.handle(user, body);
    reply(
      answer.status,
      typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body),
      answer.type ?? 'application/json',
      user.username,
    );
  }

  #version(): { major: string; minor: string; gitVersion: string } {
    const [major = '1', minor = '30'] = (this.options.version ?? '1.30').split('.');
    const git = `v${major}.${minor}.2${this.options.flavor === 'eks' ? '-eks-1552ad0' : ''}`;
    return { major, minor: this.options.flavor === 'eks' ? `${minor}+` : minor, gitVersion: git };
  }

  #route(method: string, url: URL): Route | null {
    const path = url.pathname;
    const get = (attrs: Attributes, handle: Route['handle']): Route | null =>
      method === 'GET' ? { attrs, handle } : null;
    const text = (body: string) => ({ status: 200, body, type: EXPOSITION_TYPE });
    if (path === '/version')
      return get({ kind: 'nonResource', verb: 'get', path }, () => ({
        status: 200,
        body: this.#version(),
      }));
    if (path === '/metrics')
      return get({ kind: 'nonResource', verb: 'get', path }, () => text(METRICS.apiserver));
    const eks = /^\/apis\/metrics\.eks\.amazonaws\.com\/v1\/(ksh|kcm)\/container\/metrics$/.exec(
      path,
    );
    if (eks !== null) {
      const resource = eks[1] ?? '';
      return get(
        {
          kind: 'resource',
          verb: 'get',
          group: 'metrics.eks.amazonaws.com',
          resource,
          subresource: 'metrics',
          name: 'container',
        },
        () => {
          if (this.options.flavor !== 'eks' || !this.apiService.present)
            return { status: 404, body: NOT_FOUND };
          if (!this.apiService.available)
            return {
              status: 503,
              body: status(
                503,
                'ServiceUnavailable',
                'the server is currently unable to handle the request',
              ),
            };
          return text(resource === 'ksh' ? METRICS.scheduler : METRICS.controllerManager);
        },
      );
    }
    if (path === '/apis/apiregistration.k8s.io/v1/apiservices/v1.metrics.eks.amazonaws.com') {
      return get(
        {
          kind: 'resource',
          verb: 'get',
          group: 'apiregistration.k8s.io',
          resource: 'apiservices',
          name: 'v1.metrics.eks.amazonaws.com',
        },
        () =>
          this.options.flavor === 'eks' && this.apiService.present
            ? {
                status: 200,
                body: {
                  kind: 'APIService',
                  apiVersion: 'apiregistration.k8s.io/v1',
                  metadata: { name: 'v1.metrics.eks.amazonaws.com' },
                  spec: {
                    group: 'metrics.eks.amazonaws.com',
                    version: 'v1',
                    service: { namespace: 'kube-system', name: 'eks-extension-metrics-api' },
                  },
                  status: {
                    conditions: [
                      {
                        type: 'Available',
                        status: this.apiService.available ? 'True' : 'False',
                        reason: this.apiService.available ? 'Passed' : 'FailedDiscoveryCheck',
                        message: this.apiService.available
                          ? 'all checks passed'
                          : 'failing or missing response from https://10.0.0.1:443',
                      },
                    ],
                  },
                },
              }
            : {
                status: 404,
                body: status(
                  404,
                  'NotFound',
                  'apiservices.apiregistration.k8s.io "v1.metrics.eks.amazonaws.com" not found',
                  {
                    name: 'v1.metrics.eks.amazonaws.com',
                    group: 'apiregistration.k8s.io',
                    kind: 'apiservices',
                  },
                ),
              },
      );
    }
    const objects = objectRoute(this.objects, method, url);
    if (objects !== null) return objects;
    const operator = operatorRoute(this.operator, method, url);
    if (operator !== null) return operator;
    const proxy = /^\/api\/v1\/nodes\/([^/]+)\/proxy(\/metrics(?:\/cadvisor)?)$/.exec(path);
    if (proxy !== null) {
      const name = decodeURIComponent(proxy[1] ?? '');
      return get(
        { kind: 'resource', verb: 'get', group: '', resource: 'nodes', subresource: 'proxy', name },
        () => {
          if (this.objects.get('nodes', undefined, name) === undefined)
            return {
              status: 404,
              body: status(404, 'NotFound', `nodes "${name}" not found`, { name, kind: 'nodes' }),
            };
          return text(proxy[2] === '/metrics' ? METRICS.kubelet(name) : METRICS.cadvisor(name));
        },
      );
    }
    const tokenPath = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/.exec(
      path,
    );
    if (tokenPath !== null && method === 'POST') {
      const [namespace = '', name = ''] = [tokenPath[1], tokenPath[2]];
      return {
        attrs: {
          kind: 'resource',
          verb: 'create',
          group: '',
          resource: 'serviceaccounts',
          subresource: 'token',
          name,
          namespace,
        },
        handle: (_user, body) => {
          const spec =
            (body as { spec?: { audiences?: string[]; expirationSeconds?: number } } | null)
              ?.spec ?? {};
          const asked = spec.expirationSeconds ?? 3600;
          const seconds = Math.min(asked, this.options.maxTokenSeconds ?? asked);
          if (!this.serviceAccounts.has(`${namespace}/${name}`))
            return {
              status: 404,
              body: status(404, 'NotFound', `serviceaccounts "${name}" not found`, {
                name,
                kind: 'serviceaccounts',
              }),
            };
          if (asked < 600)
            return {
              status: 422,
              body: status(
                422,
                'Invalid',
                `TokenRequest.authentication.k8s.io "${name}" is invalid: spec.expirationSeconds: Invalid value: ${asked}: may not specify a duration less than 10 minutes`,
              ),
            };
          const token = this.issueToken(
            namespace,
            name,
            seconds,
            spec.audiences !== undefined && spec.audiences.length > 0
              ? spec.audiences
              : [API_AUDIENCE],
          );
          return {
            status: 201,
            body: {
              kind: 'TokenRequest',
              apiVersion: 'authentication.k8s.io/v1',
              metadata: { name, namespace },
              spec: { ...spec, expirationSeconds: seconds },
              status: {
                token,
                expirationTimestamp: new Date(this.now() + seconds * 1000).toISOString(),
              },
            },
          };
        },
      };
    }
    const secretPath = /^\/api\/v1\/namespaces\/([^/]+)\/secrets\/([^/]+)$/.exec(path);
    if (secretPath !== null) {
      const [namespace = '', name = ''] = [secretPath[1], secretPath[2]];
      return get(
        { kind: 'resource', verb: 'get', group: '', resource: 'secrets', name, namespace },
        () => {
          const secret = this.secrets.get(`${namespace}/${name}`);
          return secret === undefined
            ? {
                status: 404,
                body: status(404, 'NotFound', `secrets "${name}" not found`, {
                  name,
                  kind: 'secrets',
                }),
              }
            : { status: 200, body: secret };
        },
      );
    }
    if (path === '/apis/authorization.k8s.io/v1/subjectaccessreviews' && method === 'POST') {
      return {
        attrs: {
          kind: 'resource',
          verb: 'create',
          group: 'authorization.k8s.io',
          resource: 'subjectaccessreviews',
        },
        handle: (_user, body) => this.#review(body),
      };
    }
    return null;
  }

  #review(body: unknown): { status: number; body: unknown } {
    type Spec = {
      user?: string;
      groups?: string[];
      nonResourceAttributes?: { path: string; verb: string };
      resourceAttributes?: {
        verb?: string;
        group?: string;
        resource?: string;
        subresource?: string;
        name?: string;
        namespace?: string;
      };
    };
    const spec = (body as { spec?: Spec } | null)?.spec ?? {};
    const user = { username: spec.user ?? '', groups: spec.groups ?? [] };
    const r = spec.resourceAttributes;
    const attrs: Attributes =
      spec.nonResourceAttributes !== undefined
        ? {
            kind: 'nonResource',
            verb: spec.nonResourceAttributes.verb,
            path: spec.nonResourceAttributes.path,
          }
        : {
            kind: 'resource',
            verb: r?.verb ?? '',
            group: r?.group ?? '',
            resource: r?.resource ?? '',
            ...(r?.subresource === undefined || r.subresource === ''
              ? {}
              : { subresource: r.subresource }),
            ...(r?.name === undefined || r.name === '' ? {} : { name: r.name }),
            ...(r?.namespace === undefined || r.namespace === '' ? {} : { namespace: r.namespace }),
          };
    const decision = this.rbac.authorize(user, attrs);
    return {
      status: 201,
      body: {
        kind: 'SubjectAccessReview',
        apiVersion: 'authorization.k8s.io/v1',
        metadata: {},
        spec,
        status: {
          allowed: decision.allowed,
          ...(decision.reason === '' ? {} : { reason: decision.reason }),
        },
      },
    };
  }
}
