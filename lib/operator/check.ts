/**
 * The checks the operator runs on each selected monitor before it generates anything
 * (prometheus-operator `pkg/prometheus/resource_selector.go`: `checkServiceMonitor`,
 * `checkPodMonitor`, `checkProbe`, `checkScrapeConfig`; `pkg/assets/store.go`,
 * `pkg/apis/monitoring/v1` `Validate` methods). A monitor that fails one is rejected: the operator
 * leaves it out of the config and records the event `"<ns>/<name>" was rejected due to invalid
 * configuration: <error>`. Checking also fills the store with every Secret and ConfigMap the
 * monitor refers to, as the operator's StoreBuilder does.
 */
import { X509Certificate } from 'node:crypto';
import { parseDuration } from '#lib/config/units.ts';
import { checkClientPair } from '#lib/scrape/client-pair.ts';
import type {
  BasicAuth,
  OAuth2,
  ProxyConfig,
  SafeAuthorization,
  SafeTlsConfig,
} from './crd-common.ts';
import type { Monitor } from './crd-monitors.ts';
import type { ConfigGenerator } from './generator.ts';
import { selectorError } from './label-selector.ts';
import type { AssetStore } from './store.ts';
import { httpError, proxyError, scm, tlsError, type Err } from './validate.ts';

/** Fetches what the monitor refers to, as `StoreBuilder` does; the first failure, or null. */
class Refs {
  readonly store: AssetStore;
  readonly ns: string;

  constructor(store: AssetStore, ns: string) {
    this.store = store;
    this.ns = ns;
  }

  async secret(sel: { name: string; key: string } | undefined, what: string): Promise<Err> {
    if (sel === undefined || sel.name === '') return null;
    const got = await this.store.secretKey(this.ns, sel);
    return got.ok ? null : `${what}: ${got.error}`;
  }

  async basicAuth(b: BasicAuth | undefined): Promise<Err> {
    if (b === undefined) return null;
    const user = await this.store.secretKey(this.ns, b.username ?? { name: '', key: '' });
    if (!user.ok) return `basicAuth: failed to get basic auth username: ${user.error}`;
    const pass = await this.store.secretKey(this.ns, b.password ?? { name: '', key: '' });
    if (!pass.ok) return `basicAuth: failed to get basic auth password: ${pass.error}`;
    return null;
  }

  async proxy(p: ProxyConfig): Promise<Err> {
    for (const [k, sels] of Object.entries(p.proxyConnectHeader ?? {})) {
      for (const [i, sel] of sels.entries()) {
        const got = await this.store.secretKey(this.ns, sel);
        if (!got.ok) return `header[${k}][${i}]: ${got.error}`;
      }
    }
    return null;
  }

  /** `addTLSAssets`: reads CA, cert and key; the CA must parse and the pair must match. */
  async tls(t: SafeTlsConfig | undefined, now: number): Promise<Err> {
    if (t === undefined) return null;
    const v = tlsError(t);
    if (v !== null) return `tlsConfig: failed to validate TLS configuration: ${v}`;
    const ca = await this.store.key(this.ns, t.ca);
    if (!ca.ok) return `tlsConfig: failed to get ca "${scm(t.ca)}": ${ca.error}`;
    const cert = await this.store.key(this.ns, t.cert);
    if (!cert.ok) return `tlsConfig: failed to get cert "${scm(t.cert)}": ${cert.error}`;
    let key = '';
    if (t.keySecret !== undefined) {
      const got = await this.store.secretKey(this.ns, t.keySecret);
      if (!got.ok)
        return `tlsConfig: failed to get key ${t.keySecret.name}/${t.keySecret.key}: ${got.error}`;
      key = got.value;
    }
    if (ca.value !== '') {
      const block = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(ca.value);
      if (block === null) return `tlsConfig: ca ${scm(t.ca)}: failed to decode PEM block`;
      try {
        new X509Certificate(block[0]);
      } catch (error) {
        return `tlsConfig: ca ${scm(t.ca)}: failed to parse certificate: ${(error as Error).message}`;
      }
    }
    if (cert.value !== '' && key !== '') {
      const pair = checkClientPair(cert.value, key, { cert: scm(t.cert), key: 'keySecret' }, now);
      if ('reason' in pair)
        return `tlsConfig: cert ${scm(t.cert)}, key <${t.keySecret?.name ?? ''}/${t.keySecret?.key ?? ''}>: ${pair.diagnosis}`;
    }
    return null;
  }

  async oauth2(o: OAuth2 | undefined, now: number): Promise<Err> {
    if (o === undefined) return null;
    const id = await this.store.key(this.ns, o.clientId);
    if (!id.ok) return `oauth2: failed to get oauth2 client id: ${id.error}`;
    const secret = await this.store.secretKey(this.ns, o.clientSecret);
    if (!secret.ok) return `oauth2: failed to get oauth2 client secret: ${secret.error}`;
    const proxy = await this.proxy(o);
    if (proxy !== null) return `oauth2: failed to get oauth2 proxyConfig: ${proxy}`;
    const tls = await this.tls(o.tlsConfig, now);
    return tls === null ? null : `oauth2: failed to get oauth2 tlsConfig: ${tls}`;
  }

  async authorization(a: SafeAuthorization | undefined): Promise<Err> {
    if (a?.credentials === undefined || a.credentials.name === '') return null;
    const got = await this.store.secretKey(this.ns, a.credentials);
    return got.ok
      ? null
      : `authorization: failed to get authorization token of type "${a.type ?? ''}": ${got.error}`;
  }
}

/** `CompareScrapeTimeoutToScrapeInterval`, the interval defaulting to the resource's. */
function intervalError(
  cg: ConfigGenerator,
  interval: string | undefined,
  timeout: string | undefined,
): Err {
  if ((timeout ?? '') === '') return null;
  const si = (interval ?? '') === '' ? (cg.cpf.scrapeInterval ?? '') : interval!;
  const i = parseDuration(si);
  const t = parseDuration(timeout!);
  if (i === undefined) return `invalid scrapeInterval "${si}"`;
  if (t === undefined) return `invalid scrapeTimeout: "${timeout!}"`;
  return t > i ? `scrapeTimeout "${timeout!}" greater than scrapeInterval "${si}"` : null;
}

function first(...errs: Err[]): Err {
  return errs.find((e) => e !== null) ?? null;
}

/**
 * Checks a monitor as the operator would; null when it is accepted, else the reason the operator
 * gives. Relabel rules are checked later, against the Prometheus version (see expand.ts).
 */
export async function checkMonitor(
  cg: ConfigGenerator,
  store: AssetStore,
  m: Monitor,
  now: number,
): Promise<Err> {
  const refs = new Refs(store, m.metadata.namespace);
  const scrapeClass = m.spec.scrapeClass;
  const classError =
    scrapeClass !== undefined && scrapeClass !== '' && !cg.scrapeClasses.has(scrapeClass)
      ? `scrapeClassName: scrapeClass "${scrapeClass}" not found in Prometheus scrapeClasses`
      : null;
  if (m.kind === 'ServiceMonitor' || m.kind === 'PodMonitor') {
    const sel = selectorError(m.spec.selector);
    if (sel !== null)
      return m.kind === 'PodMonitor' ? `failed to parse label selector: ${sel}` : sel;
    if (m.spec.selectorMechanism === 'RoleSelector' && !cg.atLeast('2.17.0'))
      return 'RoleSelector selectorMechanism is only supported in Prometheus 2.17.0 and newer';
  }
  if (m.kind === 'ServiceMonitor') {
    for (const [i, ep] of m.spec.endpoints.entries()) {
      const at = `endpoints[${i}]`;
      if (cg.cpf.arbitraryFSAccessThroughSMs?.deny === true) {
        if ((ep.bearerTokenFile ?? '') !== '')
          return `${at}: it accesses file system via bearer token file which Prometheus specification prohibits`;
        const t = ep.tlsConfig;
        if ((t?.caFile ?? '') !== '' || (t?.certFile ?? '') !== '' || (t?.keyFile ?? '') !== '')
          return `${at}: it accesses file system via tls config which Prometheus specification prohibits`;
      }
      const err = first(httpError(ep), tlsError(ep.tlsConfig), proxyError(ep));
      if (err !== null) return `${at}: ${err}`;
      const fetched =
        (await refs.secret(ep.bearerTokenSecret, 'bearerTokenSecret')) ??
        (await refs.basicAuth(ep.basicAuth)) ??
        (await refs.tls(ep.tlsConfig, now)) ??
        (await refs.oauth2(ep.oauth2, now)) ??
        (await refs.authorization(ep.authorization)) ??
        intervalError(cg, ep.interval, ep.scrapeTimeout) ??
        (await refs.proxy(ep));
      if (fetched !== null) return `${at}: ${fetched}`;
    }
    return classError;
  }
  if (m.kind === 'PodMonitor') {
    for (const [i, ep] of m.spec.podMetricsEndpoints.entries()) {
      const err =
        intervalError(cg, ep.interval, ep.scrapeTimeout) ??
        first(httpError(ep), tlsError(ep.tlsConfig), proxyError(ep)) ??
        (await refs.secret(ep.bearerTokenSecret, 'bearerTokenSecret')) ??
        (await refs.basicAuth(ep.basicAuth)) ??
        (await refs.tls(ep.tlsConfig, now)) ??
        (await refs.oauth2(ep.oauth2, now)) ??
        (await refs.authorization(ep.authorization)) ??
        (await refs.proxy(ep));
      if (err !== null) return `endpoint[${i}]: ${err}`;
    }
    return classError;
  }
  if (m.kind === 'Probe') {
    const s = m.spec;
    if (classError !== null) return classError;
    if (s.targets?.staticConfig === undefined && s.targets?.ingress === undefined)
      return 'at least one of .spec.targets.staticConfig and .spec.targets.ingress is required';
    const err =
      (await refs.secret(s.bearerTokenSecret, 'bearerTokenSecret')) ??
      (await refs.basicAuth(s.basicAuth)) ??
      (await refs.tls(s.tlsConfig, now)) ??
      (await refs.authorization(s.authorization)) ??
      (await refs.oauth2(s.oauth2, now)) ??
      intervalError(cg, s.interval, s.scrapeTimeout);
    if (err !== null) return err;
    const proxy = await refs.proxy(s.prober ?? {});
    if (proxy !== null) return `proxy configuration: ${proxy}`;
    const url = s.prober?.url ?? '';
    if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+|[0-9a-fA-F:]+)(:\d{1,5})?$/.test(url))
      return `"${url}" url specified in proberSpec is invalid, it should be of the format \`hostname\` or \`hostname:port\``;
    return null;
  }
  const s = m.spec;
  if (classError !== null) return classError.replace(/^scrapeClassName: /, '');
  return (
    (await refs.basicAuth(s.basicAuth)) ??
    (await refs.authorization(s.authorization)) ??
    (await refs.oauth2(s.oauth2, now)) ??
    (await refs.tls(s.tlsConfig, now)) ??
    intervalError(cg, s.scrapeInterval, s.scrapeTimeout) ??
    (await refs.proxy(s))
  );
}
