/**
 * The HTTP client sections of a generated scrape config, as prometheus-operator writes them
 * (`pkg/prometheus/promcfg.go`: `addBasicAuthToYaml`, `addSafeAuthorizationToYaml`,
 * `addAuthorizationToYaml`, `addProxyConfigtoYaml`, `addSafeTLStoYaml`, `addTLStoYaml`,
 * `addOAuth2ToYaml`, the scrape-class merges and `generateRelabelConfig`). Secret values are read
 * from the store's cache and inlined, as the operator inlines them into its Secret.
 */
import type {
  Authorization,
  BasicAuth,
  OAuth2,
  ProxyConfig,
  RelabelConfig,
  SafeAuthorization,
  SafeTlsConfig,
  TlsConfig,
} from './crd-common.ts';
import type { ScrapeClass } from './crd-prometheus.ts';
import type { ConfigGenerator } from './generator.ts';
import { MapSlice, sortedMap, type YamlValue } from './map-slice.ts';
import { TLS_ASSETS_DIR, type AssetGetter } from './store.ts';

/** Versions every append in a section must meet (`cg.WithMinimumVersion(a).WithMinimumVersion(b)`). */
type Gate = readonly string[];

/** True for a Go struct value with every field at its zero value (`reflect.Value.IsZero`). */
export function isZero(o: object | undefined): boolean {
  return o === undefined || Object.values(o).every((v) => v === undefined);
}

export function addBasicAuth(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  basicAuth: BasicAuth | undefined,
  gate: Gate = [],
): MapSlice {
  if (basicAuth === undefined) return cfg;
  const read = (sel: BasicAuth['username'], what: string): string => {
    if (sel === undefined) return '';
    const got = store.secretKey(sel);
    if (!got.ok) cg.warn(`invalid ${what} reference: ${got.error}`);
    return got.ok ? got.value : '';
  };
  const auth = new MapSlice([
    ['username', read(basicAuth.username, 'username')],
    ['password', read(basicAuth.password, 'password')],
  ]);
  return cg.append(cfg, 'basic_auth', auth, gate);
}

/** `addSafeAuthorizationToYaml`'s section. */
function safeAuthorizationSection(
  cg: ConfigGenerator,
  store: AssetGetter,
  auth: SafeAuthorization,
): MapSlice {
  const type = auth.type === undefined || auth.type === '' ? 'Bearer' : auth.type;
  const section = new MapSlice().push('type', type.trim());
  if (auth.credentials !== undefined) {
    const got = store.secretKey(auth.credentials);
    if (!got.ok) cg.warn(`invalid credentials reference: ${got.error}`);
    else section.push('credentials', got.value);
  }
  return section;
}

export function addSafeAuthorization(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  auth: SafeAuthorization | undefined,
  gate: Gate = [],
): MapSlice {
  if (auth === undefined) return cfg;
  return cg.append(cfg, 'authorization', safeAuthorizationSection(cg, store, auth), [
    ...gate,
    '2.26.0',
  ]);
}

export function addAuthorization(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  auth: Authorization | undefined,
  gate: Gate = [],
): MapSlice {
  if (auth === undefined) return cfg;
  const section = safeAuthorizationSection(cg, store, auth);
  if (auth.credentialsFile !== undefined && auth.credentialsFile !== '')
    section.push('credentials_file', auth.credentialsFile);
  return cg.append(cfg, 'authorization', section, [...gate, '2.26.0']);
}

/** `mergeSafeAuthorizationWithScrapeClass` / `mergeAuthorizationWithScrapeClass`. */
export function mergeAuthorization(
  authz: SafeAuthorization | undefined,
  scrapeClass: ScrapeClass | null,
): Authorization | undefined {
  const fromClass = scrapeClass?.authorization;
  if (authz === undefined || isZero(authz)) return fromClass;
  const merged: Authorization = { ...authz };
  if (fromClass === undefined) return merged;
  if (merged.credentials === undefined) merged.credentials = fromClass.credentials;
  if (merged.credentials === undefined && (merged.credentialsFile ?? '') === '') {
    merged.credentials = fromClass.credentials;
    merged.credentialsFile = fromClass.credentialsFile;
  }
  return merged;
}

export function addProxyConfig(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  proxy: ProxyConfig,
  gate: Gate = [],
): MapSlice {
  if (isZero(proxy)) return cfg;
  if (proxy.proxyUrl !== undefined) cg.append(cfg, 'proxy_url', proxy.proxyUrl, gate);
  const newer = [...gate, '2.43.0'];
  if (proxy.noProxy !== undefined) cg.append(cfg, 'no_proxy', proxy.noProxy, newer);
  if (proxy.proxyFromEnvironment !== undefined)
    cg.append(cfg, 'proxy_from_environment', proxy.proxyFromEnvironment, newer);
  if (proxy.proxyConnectHeader !== undefined) {
    const headers: Record<string, YamlValue> = {};
    for (const [k, sels] of Object.entries(proxy.proxyConnectHeader)) {
      headers[k] = sels.map((sel) => {
        const got = store.secretKey(sel);
        return got.ok ? got.value : '';
      });
    }
    cg.append(cfg, 'proxy_connect_header', sortedMap(headers), newer);
  }
  return cfg;
}

/** `addSafeTLStoYaml`'s section (the part before the file keys). */
function safeTlsSection(
  cg: ConfigGenerator,
  store: AssetGetter,
  tls: SafeTlsConfig,
  gate: Gate,
): MapSlice {
  const section = new MapSlice();
  if (tls.insecureSkipVerify !== undefined)
    section.push('insecure_skip_verify', tls.insecureSkipVerify);
  const material = (
    sel: SafeTlsConfig['ca'],
    inlineKey: string,
    fileKey: string,
    secretOnly: boolean,
  ): void => {
    if (sel === undefined || (sel.secret === undefined && sel.configMap === undefined)) return;
    if (cg.inlineTls) {
      const got = secretOnly ? store.secretKey(sel.secret!) : store.secretOrConfigMapKey(sel);
      if (!got.ok) cg.warn(`invalid ${inlineKey} reference: ${got.error}`);
      else section.push(inlineKey, got.value);
    } else section.push(fileKey, `${TLS_ASSETS_DIR}/${store.tlsAsset(sel)}`);
  };
  material(tls.ca, 'ca', 'ca_file', false);
  material(tls.cert, 'cert', 'cert_file', false);
  if (tls.keySecret !== undefined) material({ secret: tls.keySecret }, 'key', 'key_file', true);
  if ((tls.serverName ?? '') !== '') section.push('server_name', tls.serverName!);
  if (tls.minVersion !== undefined)
    cg.append(section, 'min_version', tls.minVersion, [...gate, '2.35.0']);
  if (tls.maxVersion !== undefined)
    cg.append(section, 'max_version', tls.maxVersion, [...gate, '2.41.0']);
  return section;
}

export function addSafeTls(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  tls: SafeTlsConfig | undefined,
  gate: Gate = [],
): MapSlice {
  if (tls === undefined) return cfg;
  return cg.append(cfg, 'tls_config', safeTlsSection(cg, store, tls, gate), gate);
}

export function addTls(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  tls: TlsConfig | undefined,
): MapSlice {
  if (tls === undefined) return cfg;
  const section = safeTlsSection(cg, store, tls, []);
  if ((tls.caFile ?? '') !== '') section.push('ca_file', tls.caFile!);
  if ((tls.certFile ?? '') !== '') section.push('cert_file', tls.certFile!);
  if ((tls.keyFile ?? '') !== '') section.push('key_file', tls.keyFile!);
  return cg.append(cfg, 'tls_config', section);
}

/** `mergeTLSConfigWithScrapeClass`: the class fills CA, cert and key the monitor leaves unset. */
export function mergeTls(
  tls: TlsConfig | undefined,
  scrapeClass: ScrapeClass | null,
): TlsConfig | undefined {
  const fromClass = scrapeClass?.tlsConfig;
  if (tls === undefined) return fromClass;
  if (fromClass === undefined) return tls;
  const merged: TlsConfig = { ...tls };
  const unset = (s: SafeTlsConfig['ca']) => s === undefined || isZero(s);
  if ((merged.caFile ?? '') === '' && unset(merged.ca)) merged.caFile = fromClass.caFile;
  if ((merged.certFile ?? '') === '' && unset(merged.cert)) merged.certFile = fromClass.certFile;
  if ((merged.keyFile ?? '') === '' && merged.keySecret === undefined)
    merged.keyFile = fromClass.keyFile;
  return merged;
}

/** `mergeSafeTLSConfigWithScrapeClass`. */
export function mergeSafeTls(
  tls: SafeTlsConfig | undefined,
  scrapeClass: ScrapeClass | null,
): TlsConfig | undefined {
  return mergeTls(tls === undefined || isZero(tls) ? undefined : tls, scrapeClass);
}

export function addOAuth2(
  cg: ConfigGenerator,
  cfg: MapSlice,
  store: AssetGetter,
  oauth2: OAuth2 | undefined,
  gate: Gate = [],
): MapSlice {
  if (oauth2 === undefined) return cfg;
  const clientId = store.secretOrConfigMapKey(oauth2.clientId);
  if (!clientId.ok) {
    cg.warn(`invalid OAuth2 client ID reference: ${clientId.error}`);
    return cfg;
  }
  const clientSecret = store.secretKey(oauth2.clientSecret);
  if (!clientSecret.ok) {
    cg.warn(`invalid OAuth2 client secret reference: ${clientSecret.error}`);
    return cfg;
  }
  const section = new MapSlice([
    ['client_id', clientId.value],
    ['client_secret', clientSecret.value],
    ['token_url', oauth2.tokenUrl],
  ]);
  if ((oauth2.scopes ?? []).length > 0) section.push('scopes', oauth2.scopes!);
  if (Object.keys(oauth2.endpointParams ?? {}).length > 0)
    section.push('endpoint_params', { ...oauth2.endpointParams });
  const newer = [...gate, '2.43.0'];
  addProxyConfig(cg, section, store, oauth2, newer);
  addSafeTls(cg, section, store, oauth2.tlsConfig, newer);
  return cg.append(cfg, 'oauth2', section, [...gate, '2.27.0']);
}

/** `generateRelabelConfig`: keys only where set, the action lowercased. */
export function relabelSection(rules: readonly RelabelConfig[] | undefined): MapSlice[] {
  return (rules ?? []).map((c) => {
    const r = new MapSlice();
    if ((c.sourceLabels ?? []).length > 0) r.push('source_labels', [...c.sourceLabels!]);
    if (c.separator !== undefined) r.push('separator', c.separator);
    if ((c.targetLabel ?? '') !== '') r.push('target_label', c.targetLabel!);
    if ((c.regex ?? '') !== '') r.push('regex', c.regex!);
    if ((c.modulus ?? 0) !== 0) r.push('modulus', c.modulus!);
    if (c.replacement !== undefined) r.push('replacement', c.replacement);
    if ((c.action ?? '') !== '') r.push('action', c.action!.toLowerCase());
    return r;
  });
}
