/**
 * Trust anchors as Prometheus has them: the system trust store read the way Go's crypto/x509
 * reads it on Linux (and in Lambda), and TLS contexts over it built once per process.
 */
export {
  GO_CERT_DIRECTORIES,
  GO_CERT_FILES,
  loadSystemRoots,
  systemRoots,
  systemRootsNow,
} from './system-roots.ts';
export type { SystemRoots, SystemRootsOptions } from './system-roots.ts';
export { systemContext } from './secure-context.ts';
export type { TrustContextOptions } from './secure-context.ts';
