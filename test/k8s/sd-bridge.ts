/**
 * The http_sd bridge: what Prometheus 2.42.0's `kubernetes_sd_configs` would discover from the
 * emulator's objects, served as an `http_sd_configs` endpoint, so Debian's Prometheus 2.42 (built
 * without Kubernetes discovery) relabels, populates and scrapes the same targets for real. It is
 * written from Prometheus's source (prometheus/prometheus@v2.42.0 discovery/kubernetes), not from
 * scrape-check's discovery, so that a differential between the two proves something.
 *
 * `GET /sd/<role>?namespaces=a,b&pod.label=app%3Dweb&service.field=...&attach_node=true` answers
 * `[{"targets": ["<__address__>"], "labels": {...}}]`, one entry per target with the group's and
 * the target's labels merged (target wins), since http_sd gives an entry's labels to all of its
 * targets. Prometheus adds `__meta_url` itself. Without an `Authorization` header the bridge reads
 * every object; with `Authorization: Bearer <token>` it lists as that user, and a discoverer
 * whose list is forbidden never syncs its informers and sends nothing, as in 2.42 (the
 * `x-sd-bridge-stalled` response header says which). The emulator serves it on its TLS port and,
 * from {@link startBridgeServer}, over plain HTTP (Prometheus then needs no CA).
 *
 * @example
 * const url = await emu.startSdBridge();
 * const yml = `scrape_configs:\n- job_name: k8s\n  http_sd_configs:\n  - url: ${url}${bridgePath({ role: 'endpoints' })}\n`;
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ObjectStore } from './emulator-objects.ts';
import type { Attributes, Rbac, UserInfo } from './emulator-rbac.ts';
import { RESOURCES, type Resource } from './emulator-types.ts';
import { parseFieldSelector, parseLabelSelector } from './emulator-selectors.ts';
import { buildEndpoints, buildEndpointSlice } from './sd-bridge-endpoints.ts';
import {
  buildIngress,
  buildNode,
  buildPod,
  buildService,
  type LabelSet,
  type TargetGroup,
} from './sd-bridge-roles.ts';

export type { LabelSet, TargetGroup } from './sd-bridge-roles.ts';

export const ROLES = ['node', 'service', 'pod', 'endpoints', 'endpointslice', 'ingress'] as const;
export type Role = (typeof ROLES)[number];

/** The part of a `kubernetes_sd_configs` entry that decides what is discovered (YAML names). */
export interface SdConfig {
  role: Role;
  namespaces?: { names?: string[] };
  selectors?: { role: Role; label?: string; field?: string }[];
  attach_metadata?: { node?: boolean };
}

/** One http_sd entry. */
export interface HttpSdEntry {
  targets: [string];
  labels: LabelSet;
}

/** What a discovery produced, and which discoverers never synced (and why). */
export interface Discovery {
  groups: TargetGroup[];
  stalled: string[];
}

// kubernetes.go SDConfig.UnmarshalYAML, allowedSelectors.
const ALLOWED: Record<Role, Role[]> = {
  pod: ['pod'],
  service: ['service'],
  endpointslice: ['pod', 'service', 'endpointslice'],
  endpoints: ['pod', 'service', 'endpoints'],
  node: ['node'],
  ingress: ['ingress'],
};

const RESOURCE_OF: Record<Role, Resource> = {
  node: 'nodes',
  service: 'services',
  pod: 'pods',
  endpoints: 'endpoints',
  endpointslice: 'endpointslices',
  ingress: 'ingresses',
};

/** The config error Prometheus 2.42 refuses the config with, or null. */
export function validateSdConfig(config: SdConfig): string | null {
  const seen = new Set<Role>();
  for (const s of config.selectors ?? []) {
    if (seen.has(s.role)) return `duplicated selector role: ${s.role}`;
    seen.add(s.role);
    if (!ALLOWED[config.role].includes(s.role))
      return `${config.role} role supports only ${ALLOWED[config.role].join(', ')} selectors`;
    // fields.ParseSelector checks the syntax only; the API server checks the field names.
    try {
      parseFieldSelector(s.field ?? '', null, () => '');
    } catch (error) {
      return (error as Error).message;
    }
    try {
      parseLabelSelector(s.label ?? '');
    } catch (error) {
      return (error as Error).message;
    }
  }
  return null;
}

/**
 * Discovers as Prometheus 2.42 would with `config` against the store. `authorize` decides each
 * informer's list (as the API server's RBAC would); all lists are allowed without it.
 */
export function discover(
  store: ObjectStore,
  config: SdConfig,
  authorize: (attrs: Attributes) => boolean = () => true,
): Discovery {
  const invalid = validateSdConfig(config);
  if (invalid !== null) throw new Error(invalid);
  const stalled: string[] = [];
  const selector = (role: Role) => config.selectors?.find((s) => s.role === role);
  /** An informer's initial list; null when it fails (403, 400), so the informer never syncs. */
  const list = <R extends Resource>(resource: R, role: Role, namespace: string) => {
    const where = `${resource}${namespace === '' ? '' : ` in ${namespace}`}`;
    const attrs: Attributes = {
      kind: 'resource',
      verb: 'list',
      group: RESOURCES[resource].group,
      resource,
      ...(namespace === '' ? {} : { namespace }),
    };
    if (!authorize(attrs)) {
      stalled.push(`list ${where}: forbidden`);
      return null;
    }
    const s = selector(role);
    const items = store.select(resource, {
      ...(namespace === '' ? {} : { namespace }),
      ...(s?.label === undefined ? {} : { labelSelector: s.label }),
      ...(s?.field === undefined ? {} : { fieldSelector: s.field }),
    });
    if (items instanceof Error) {
      stalled.push(`list ${where}: ${items.message}`);
      return null;
    }
    return items;
  };
  // kubernetes.go Run: only these roles start a node informer for attach_metadata.node.
  const withNodes =
    config.attach_metadata?.node === true &&
    ['pod', 'endpoints', 'endpointslice'].includes(config.role);
  // kubernetes.go getNamespaces: no names means all namespaces ("").
  const names = [...new Set(config.namespaces?.names ?? [])];
  const namespaces = names.length === 0 ? [''] : names;
  const groups: TargetGroup[] = [];
  if (config.role === 'node') {
    for (const node of list('nodes', 'node', '') ?? []) {
      const group = buildNode(node);
      if (group !== null) groups.push(group);
    }
    return { groups, stalled };
  }
  for (const ns of namespaces) {
    // Each namespace has its own discoverer; it sends nothing until all its informers synced.
    const main = list(RESOURCE_OF[config.role], config.role, ns);
    const needsStores = config.role === 'endpoints' || config.role === 'endpointslice';
    const services = needsStores ? list('services', 'service', ns) : [];
    const pods = needsStores ? list('pods', 'pod', ns) : [];
    const nodes = withNodes ? list('nodes', 'node', '') : [];
    if (main === null || services === null || pods === null || nodes === null) continue;
    const stores = { pods, services, nodes: withNodes ? nodes : null };
    for (const object of main) {
      if (object.kind === 'Pod') groups.push(buildPod(object, stores.nodes));
      else if (object.kind === 'Service') groups.push(buildService(object));
      else if (object.kind === 'Ingress') groups.push(buildIngress(object));
      else if (object.kind === 'Endpoints') groups.push(buildEndpoints(object, stores));
      else if (object.kind === 'EndpointSlice') groups.push(buildEndpointSlice(object, stores));
    }
  }
  return { groups, stalled };
}

/** http_sd JSON: one entry per target, labels = group labels overlaid with the target's. */
export function toHttpSd(groups: readonly TargetGroup[]): HttpSdEntry[] {
  return groups.flatMap((g) =>
    g.targets.map(({ __address__: address = '', ...labels }) => ({
      targets: [address] as [string],
      labels: { ...g.labels, ...labels },
    })),
  );
}

/** The bridge path (and query) for a config: `/sd/<role>?namespaces=...`. */
export function bridgePath(config: SdConfig): string {
  const q = new URLSearchParams();
  const names = config.namespaces?.names ?? [];
  if (names.length > 0) q.set('namespaces', names.join(','));
  for (const s of config.selectors ?? []) {
    if (s.label !== undefined) q.set(`${s.role}.label`, s.label);
    if (s.field !== undefined) q.set(`${s.role}.field`, s.field);
  }
  if (config.attach_metadata?.node === true) q.set('attach_node', 'true');
  const qs = q.toString();
  return `/sd/${config.role}${qs === '' ? '' : `?${qs}`}`;
}

/** The config a bridge URL stands for, or an error message. */
export function parseBridgeUrl(url: URL): SdConfig | string {
  const role = /^\/sd\/([a-z]+)$/.exec(url.pathname)?.[1];
  if (role === undefined || !(ROLES as readonly string[]).includes(role))
    return `unknown Kubernetes SD role "${role ?? url.pathname}"`;
  const q = url.searchParams;
  const names = (q.get('namespaces') ?? '').split(',').filter((n) => n !== '');
  const selectors: NonNullable<SdConfig['selectors']> = [];
  for (const r of ROLES) {
    const label = q.get(`${r}.label`);
    const field = q.get(`${r}.field`);
    if (label !== null || field !== null)
      selectors.push({
        role: r,
        ...(label === null ? {} : { label }),
        ...(field === null ? {} : { field }),
      });
  }
  return {
    role: role as Role,
    ...(names.length === 0 ? {} : { namespaces: { names } }),
    ...(selectors.length === 0 ? {} : { selectors }),
    ...(q.get('attach_node') === 'true' ? { attach_metadata: { node: true } } : {}),
  };
}

/** What the bridge needs of the emulator (K8sEmulator has all of it). */
export interface BridgeHost {
  readonly objects: ObjectStore;
  readonly rbac: Rbac;
  authenticateToken(token: string): Promise<UserInfo | null>;
}

/** Answers one bridge request (`GET /sd/<role>...`). */
export async function handleBridgeRequest(
  host: BridgeHost,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://bridge');
  const config = parseBridgeUrl(url);
  const invalid = typeof config === 'string' ? config : validateSdConfig(config);
  if (invalid !== null || typeof config === 'string') {
    res
      .writeHead(400, { 'content-type': 'application/json' })
      .end(JSON.stringify({ error: invalid }));
    return;
  }
  let authorize: ((attrs: Attributes) => boolean) | undefined;
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) {
    const user = await host.authenticateToken(bearer);
    authorize = (attrs) => user !== null && host.rbac.authorize(user, attrs).allowed;
  }
  const { groups, stalled } = discover(host.objects, config, authorize);
  res
    .writeHead(200, {
      'content-type': 'application/json',
      ...(stalled.length === 0 ? {} : { 'x-sd-bridge-stalled': stalled.join('; ') }),
    })
    .end(JSON.stringify(toHttpSd(groups)));
}

/** The bridge over plain HTTP on 127.0.0.1, port 0: `url` is `http://127.0.0.1:<port>`. */
export async function startBridgeServer(
  host: BridgeHost,
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    handleBridgeRequest(host, req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}
