/**
 * A PodMonitor endpoint → one scrape job, as prometheus-operator's `generatePodMonitorConfig`
 * (`pkg/prometheus/promcfg.go`) builds it: pod discovery, the phase filter first, the selector on
 * the pod's labels, the container port (name, number, or the deprecated targetPort), namespace /
 * container / pod labels, `job` = `<namespace>/<name>` (or `jobLabel`), `endpoint`, the scrape
 * class's and the monitor's relabelings, and sharding.
 */
import type { Monitor, PodMetricsEndpoint } from './crd-monitors.ts';
import type { GeneratedJob } from './generated.ts';
import type { ConfigGenerator } from './generator.ts';
import * as http from './http-config.ts';
import {
  addBearerTokenSecret,
  addPhaseFilter,
  addPodTargetLabels,
  addSelectorRules,
  copyRule,
  finishEndpointJob,
  keepRule,
  objectLabelRule,
  setRule,
  startEndpointJob,
  startRules,
} from './job-parts.ts';

type PodMonitor = Extract<Monitor, { kind: 'PodMonitor' }>;

const PORT_NAME = '__meta_kubernetes_pod_container_port_name';
const PORT_NUMBER = '__meta_kubernetes_pod_container_port_number';

/** Generates the job of `podMetricsEndpoints[i]`. */
export function generatePodMonitorJob(
  cg: ConfigGenerator,
  m: PodMonitor,
  ep: PodMetricsEndpoint,
  i: number,
): GeneratedJob {
  const spec = m.spec;
  const job = startEndpointJob(cg, m, ep, i, {
    role: 'pod',
    selectorRoles: ['pod'],
    attachMetadataSince: '2.35.0',
  });
  const { ns, scrapeClass, store, cfg, roleSelector } = job;
  // addHTTPConfigToYAML goes on with TLS merged with the scrape class.
  http.addTls(cg, cfg, store, http.mergeSafeTls(ep.tlsConfig, scrapeClass));
  if (ep.bearerTokenSecret !== undefined && ep.bearerTokenSecret.name !== '')
    addBearerTokenSecret(cg, cfg, store, ep.bearerTokenSecret, 'bearer token secret');
  http.addBasicAuth(cg, cfg, store, ep.basicAuth);
  http.addOAuth2(cg, cfg, store, ep.oauth2);
  http.addProxyConfig(cg, cfg, store, ep);
  http.addAuthorization(cg, cfg, store, http.mergeAuthorization(ep.authorization, scrapeClass));

  const list = startRules();
  addPhaseFilter(list, ep);
  if (!roleSelector) addSelectorRules(list, 'pod', spec.selector);
  const port = ep.port ?? '';
  const target = ep.targetPort;
  if (port !== '') {
    list.add([keepRule(PORT_NAME, port)], () => ({
      kind: 'port',
      by: 'container port name',
      port,
    }));
  } else if ((ep.portNumber ?? 0) !== 0) {
    list.add([keepRule(PORT_NUMBER, ep.portNumber!)], () => ({
      kind: 'port',
      by: 'container port number',
      port: String(ep.portNumber),
    }));
  } else if (target !== undefined) {
    cg.warn("'targetPort' is deprecated, use 'port' or 'portNumber' instead.");
    if (typeof target === 'string' && target !== '')
      list.add([keepRule(PORT_NAME, target)], () => ({
        kind: 'port',
        by: 'container port name',
        port: target,
      }));
    else if (typeof target === 'number' && target !== 0)
      list.add([keepRule(PORT_NUMBER, target)], () => ({
        kind: 'port',
        by: 'container port number',
        port: String(target),
      }));
  }
  list.add(
    [
      copyRule('__meta_kubernetes_namespace', 'namespace'),
      copyRule('__meta_kubernetes_pod_container_name', 'container'),
      copyRule('__meta_kubernetes_pod_name', 'pod'),
    ],
    () => ({ kind: 'labels' }),
  );
  addPodTargetLabels(cg, list, spec.podTargetLabels);
  const jobRules = [setRule('job', `${ns}/${m.metadata.name}`)];
  if ((spec.jobLabel ?? '') !== '') jobRules.push(objectLabelRule('pod', spec.jobLabel!, 'job'));
  list.add(jobRules, () => ({ kind: 'labels' }));
  return finishEndpointJob(cg, m, ep, i, job, list);
}
