/**
 * The emulator's kubeadm-like fixture cluster with kube-prometheus-stack installed (release `kps`
 * in `monitoring`): the chart's Prometheus ServiceAccount and RBAC and its control-plane Services
 * (fixtures/kube-prometheus-stack.yaml, as `helm template` renders them), with the Endpoints and
 * EndpointSlices the endpoints controllers would write for them from the fixture's pods. A
 * kubeconfig for scrape-check's own (admin) access and a scratch folder for configs.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { endpointsFor, sliceFor, type Backend } from '../k8s/cluster-builders.ts';
import {
  loopbackAddresses,
  startClusterEmulator,
  writeAdminKubeconfig,
} from '../k8s/cluster-fixture.ts';
import type { K8sEmulator } from '../k8s/emulator.ts';
import type { Pod, Service } from '../k8s/emulator-types.ts';

export const KPS_FILE = new URL('fixtures/kube-prometheus-stack.yaml', import.meta.url).pathname;
export const KPS_SA = 'monitoring/kps-kube-prometheus-stack-prometheus';
export const FULLNAME = 'kps-kube-prometheus-stack';

/** What the endpoints controller writes for a Service with a selector, from the stored pods. */
export function endpointsController(emu: K8sEmulator, svc: Service): void {
  const selector = svc.spec?.selector ?? {};
  const namespace = svc.metadata.namespace ?? 'default';
  const pods = emu.objects
    .all('pods', namespace)
    .filter((p: Pod) => Object.entries(selector).every(([k, v]) => p.metadata.labels?.[k] === v))
    .filter((p) => p.status?.podIP !== undefined && p.status.phase === 'Running');
  const backends: Backend[] = pods.map((pod) => ({
    pod,
    ready: pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));
  const ports = (svc.spec?.ports ?? []).map((p) => ({
    name: p.name ?? '',
    port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
  }));
  emu.objects.put(endpointsFor(svc, backends, ports));
  emu.objects.put(sliceFor(svc, backends, ports));
}

export interface KpsCluster {
  emu: K8sEmulator;
  dir: string;
  /** Writes a config file in the scratch folder; returns its path. */
  write(name: string, text: string): string;
  stop(): Promise<void>;
}

/** Starts the cluster; `second` picks its loopback addresses (127.<second>.x.y). */
export async function startKpsCluster(second: number): Promise<KpsCluster> {
  const emu = await startClusterEmulator(loopbackAddresses(second));
  const text = readFileSync(KPS_FILE, 'utf8');
  for (const doc of parseAllDocuments(text)) {
    const object = doc.toJS() as { kind?: string; apiVersion?: string } | null;
    if (object === null || object.apiVersion?.startsWith('monitoring.coreos.com') === true)
      continue;
    emu.applyYaml(stringify(object));
    if (object.kind === 'Service') {
      const svc = object as unknown as Service;
      endpointsController(
        emu,
        emu.objects.get('services', svc.metadata.namespace, svc.metadata.name)!,
      );
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'scrape-check-operator-'));
  writeAdminKubeconfig(emu, join(dir, 'kubeconfig'));
  return {
    emu,
    dir,
    write(name, body) {
      const file = join(dir, name);
      writeFileSync(file, body);
      return file;
    },
    async stop() {
      await emu.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
