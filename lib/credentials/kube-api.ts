/**
 * A small Kubernetes API client over undici: the few calls the checker makes (TokenRequest,
 * Secrets, nodes, SubjectAccessReview, APIService, /version) with the checker's credentials.
 * It returns outcomes, never throws for an HTTP or network error, and keeps no secret in what it
 * returns.
 */
import { Agent, request } from 'undici';
import { apiServerTls } from './api-tls.ts';
import type { ClusterConnection } from './types.ts';
import { redact } from './redact.ts';

/** A Kubernetes API answer. `body` is the parsed JSON (or null when the body was not JSON). */
export type ApiResult =
  | { ok: true; status: number; body: unknown }
  | {
      ok: false;
      /** HTTP status, or null when no response arrived. */
      status: number | null;
      /** The Status message, or the network error; redacted. */
      message: string;
      /** The network error code (`ECONNREFUSED`, `UNABLE_TO_VERIFY_LEAF_SIGNATURE`), if any. */
      code: string | null;
      body: unknown;
    };

export interface ApiCallOptions {
  method?: 'GET' | 'POST';
  body?: unknown;
  /** Per-call deadline for headers and body. Default 10 s. */
  timeoutMs?: number;
}

const agents = new WeakMap<ClusterConnection, Promise<Agent>>();

/** One Agent per connection, verifying the API server as client-go does (`apiServerTls`). */
function agentFor(conn: ClusterConnection): Promise<Agent> {
  let agent = agents.get(conn);
  if (agent === undefined) {
    agent = makeAgent(conn);
    agents.set(conn, agent);
  }
  return agent;
}

async function makeAgent(conn: ClusterConnection): Promise<Agent> {
  return new Agent({
    connect: await apiServerTls(conn),
    // A handful of calls per run: do not hold sockets open past it (a CLI would wait on them).
    keepAliveTimeout: 1_000,
    keepAliveMaxTimeout: 1_000,
  });
}

function statusMessage(body: unknown, fallback: string): string {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const { message } = body;
    if (typeof message === 'string' && message !== '') return message;
  }
  return fallback;
}

function errorCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string' && !code.startsWith('UND_ERR_SOCKET')) return code;
    current = cause;
  }
  return null;
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    parts.push(current.message);
    current = current.cause;
  }
  return parts.join(': ') || String(error);
}

/**
 * The URL of an API path on a server whose URL may carry a path prefix (a Rancher or Teleport
 * proxy serves the API under `/k8s/clusters/c-xxxx`).
 */
export function apiUrl(server: URL, path: string): URL {
  const base = server.href.endsWith('/') ? server.href.slice(0, -1) : server.href;
  return new URL(base + path);
}

/**
 * Calls the API server as the checker.
 *
 * @example
 * const nodes = await callApi(conn, '/api/v1/nodes?limit=3');
 * if (nodes.ok) console.log(nodes.body);
 */
export async function callApi(
  conn: ClusterConnection,
  path: string,
  options: ApiCallOptions = {},
): Promise<ApiResult> {
  const url = apiUrl(conn.server, path);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (conn.authorization !== null) headers.authorization = conn.authorization;
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = JSON.stringify(options.body);
    headers['content-type'] = 'application/json';
  }
  const timeout = options.timeoutMs ?? 10_000;
  try {
    const response = await request(url, {
      method: options.method ?? 'GET',
      headers,
      ...(payload === undefined ? {} : { body: payload }),
      dispatcher: await agentFor(conn),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
    const text = await response.body.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    if (response.statusCode >= 200 && response.statusCode < 300) {
      return { ok: true, status: response.statusCode, body };
    }
    const fallback = text.slice(0, 300) || `HTTP ${response.statusCode}`;
    return {
      ok: false,
      status: response.statusCode,
      message: redact(statusMessage(body, fallback), conn.secrets),
      code: null,
      body,
    };
  } catch (error) {
    return {
      ok: false,
      status: null,
      message: redact(errorText(error), conn.secrets),
      code: errorCode(error),
      body: null,
    };
  }
}

/** Why a network error happened, in words, for the handful of codes people meet. */
export function explainNetworkCode(code: string | null): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing listens at that address';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve (a private EKS endpoint resolves only inside its VPC)';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'there is no route to that address from here';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'no answer in time (a security group, a firewall, or a private endpoint seen from outside)';
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
      return 'the connection was made but no answer came in time (an overloaded API server, or a proxy in front of it holding the request)';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'the connection was cut (a proxy or load balancer in front of it, or the API server restarting)';
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return "the API server's certificate does not chain to the cluster CA that was configured";
    case 'CERT_HAS_EXPIRED':
      return "the API server's certificate has expired";
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return "the API server's certificate does not name the host in the server URL";
    default:
      return 'the connection failed';
  }
}
