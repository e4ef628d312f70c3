/**
 * Kubernetes API paths, built in one place so every name is escaped the same way. Imports
 * nothing, so modules that only build paths do not load the HTTP client.
 */

/**
 * The path of a namespaced core (`v1`) object.
 *
 * @example namespacedPath('monitoring', 'secrets', 'token') === '/api/v1/namespaces/monitoring/secrets/token'
 */
export function namespacedPath(namespace: string, resource: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/${resource}/${encodeURIComponent(name)}`;
}
