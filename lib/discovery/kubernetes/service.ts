/**
 * `role: service`: one target per Service port, at `<name>.<namespace>.svc:<port>`
 * (prometheus/prometheus `discovery/kubernetes/service.go`, `buildService`). The endpoints roles
 * reuse the group labels.
 */
import type { LabelSet, TargetGroup } from '../types.ts';
import { addObjectMetaLabels, joinHostPort, META, NAMESPACE_LABEL } from './meta-labels.ts';
import { withNamespaceLabels } from './namespace-labels.ts';
import type { ListedObjects, Service } from './objects.ts';
import { RoleContext, type RoleOptions } from './role-context.ts';

/** `serviceLabels`: the namespace, the name, and the Service's labels and annotations. */
export function serviceLabels(service: Service): LabelSet {
  const labels: LabelSet = { [NAMESPACE_LABEL]: service.metadata?.namespace ?? '' };
  addObjectMetaLabels(labels, service.metadata, 'service');
  return labels;
}

/**
 * `service_loadbalancer_ip`: `spec.loadBalancerIP` up to Prometheus 3.14; after it (HEAD) the
 * `status.loadBalancer.ingress[].ip` joined by commas, falling back to `spec.loadBalancerIP`.
 */
function loadBalancerIp(service: Service, context: RoleContext): string {
  const specIp = service.spec?.loadBalancerIP ?? '';
  if (context.version === '2') return specIp;
  const ips = (service.status?.loadBalancer?.ingress ?? [])
    .map((ingress) => ingress.ip ?? '')
    .filter((ip) => ip !== '');
  return ips.length > 0 ? ips.join(',') : specIp;
}

function serviceGroup(service: Service, context: RoleContext): TargetGroup {
  const name = service.metadata?.name ?? '';
  const namespace = service.metadata?.namespace ?? '';
  const type = service.spec?.type ?? '';
  const targets = (service.spec?.ports ?? []).map((port) => {
    const number = String(port.port ?? 0);
    const target: LabelSet = {
      __address__: joinHostPort(`${name}.${namespace}.svc`, number),
      [`${META}service_port_name`]: port.name ?? '',
      [`${META}service_port_number`]: number,
      [`${META}service_port_protocol`]: port.protocol ?? '',
      [`${META}service_type`]: type,
    };
    if (type === 'ExternalName') {
      target[`${META}service_external_name`] = service.spec?.externalName ?? '';
    } else {
      target[`${META}service_cluster_ip`] = service.spec?.clusterIP ?? '';
    }
    if (type === 'LoadBalancer') {
      target[`${META}service_loadbalancer_ip`] = loadBalancerIp(service, context);
    }
    return target;
  });
  return {
    source: `svc/${namespace}/${name}`,
    targets,
    labels: withNamespaceLabels(serviceLabels(service), namespace, context),
  };
}

/**
 * The target groups of `role: service`, one per Service (source `svc/<namespace>/<name>`).
 *
 * @example
 * serviceTargetGroups({ services }, { version: '3' })[0]?.targets[0]?.__address__;
 * // 'web.default.svc:80'
 */
export function serviceTargetGroups(objects: ListedObjects, options: RoleOptions): TargetGroup[] {
  const context = new RoleContext(objects, options);
  return (objects.services ?? []).map((service) => serviceGroup(service, context));
}
