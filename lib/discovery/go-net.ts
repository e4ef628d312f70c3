/**
 * Go's `net.SplitHostPort`, which Prometheus 2.x uses to decide whether `__address__` already has a
 * port (golang/go `src/net/ipsock.go`). Ported rather than approximated: what counts as "has a
 * port" decides whether `:80` or `:443` is appended (`h:` has one, empty; `::1` has none and cannot
 * get one; `[::1]` gets one).
 */

/** Host and port, or Go's reason for refusing the address. */
export type HostPort = { ok: true; host: string; port: string } | { ok: false; error: string };

/** Splits `host:port`, `[host]:port` or `[host%zone]:port` exactly as Go does. */
export function splitHostPort(hostport: string): HostPort {
  const fail = (why: string): HostPort => ({ ok: false, error: `address ${hostport}: ${why}` });
  const missingPort = 'missing port in address';
  const tooManyColons = 'too many colons in address';
  // The port starts after the last colon.
  const i = hostport.lastIndexOf(':');
  if (i < 0) return fail(missingPort);
  let host: string;
  let j = 0;
  let k = 0;
  if (hostport.startsWith('[')) {
    // Expect the first ']' just before the last ':'.
    const end = hostport.indexOf(']');
    if (end < 0) return fail("missing ']' in address");
    if (end + 1 === hostport.length) return fail(missingPort);
    if (end + 1 !== i) return fail(hostport[end + 1] === ':' ? tooManyColons : missingPort);
    host = hostport.slice(1, end);
    j = 1;
    k = end + 1;
  } else {
    host = hostport.slice(0, i);
    if (host.includes(':')) return fail(tooManyColons);
  }
  if (hostport.slice(j).includes('[')) return fail("unexpected '[' in address");
  if (hostport.slice(k).includes(']')) return fail("unexpected ']' in address");
  return { ok: true, host, port: hostport.slice(i + 1) };
}
