/**
 * Reads a file a check's settings name (a CA, a client key, a token), at check time. A file that
 * cannot be read is that check's `config_invalid`, saying which setting, which file and why.
 */
import { readFile } from 'node:fs/promises';
import { failure, type ScrapeFailure } from './failure.ts';

function why(code: string | undefined): string {
  if (code === 'ENOENT') return 'does not exist';
  if (code === 'EISDIR') return 'is a directory';
  if (code === 'EACCES') return 'is not readable (permission denied)';
  return `cannot be read (${code ?? 'error'})`;
}

/** The file's text, or the failure naming `setting` (`tls_config.ca_file`) and the file. */
export async function readSetting(file: string, setting: string): Promise<string | ScrapeFailure> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    // A path inside the Prometheus pod, read from outside it: say how to stand in for the pod.
    const pod = file.startsWith('/var/run/secrets/kubernetes.io/')
      ? ' (a path inside the Prometheus pod: set clusters[].prometheus.service_account to stand in for it)'
      : '';
    return failure(
      'config_invalid',
      `${setting} ${file} ${why((error as NodeJS.ErrnoException).code)}${pod}`,
    );
  }
}
