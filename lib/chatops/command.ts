/**
 * Reads the text of `/scrape-check …`: `help` (or nothing), `all`, or cluster and job names (`prod`,
 * `prod apiserver`, `etcd`). A word that names a cluster selects it; any other word must name a job (a scrape
 * config's `job_name`, or a cluster target such as `apiserver`). Nothing is guessed: an unknown
 * word is answered with the names that exist, and nothing runs.
 */
import type { Config } from '#lib/config/index.ts';

/**
 * `run` carries the `check` event's `clusters` and `jobs`, in the runner's terms (`jobs` may hold
 * `cluster/preset`).
 */
export type SlashCommand =
  | { kind: 'help' }
  | { kind: 'run'; clusters: string[]; jobs: string[] }
  | { kind: 'unknown'; words: string[]; clusters: string[]; jobs: string[] };

type NamesConfig = Pick<Config, 'clusters' | 'scrape_configs'>;

/** The job names a command may use: scrape configs' and the configured clusters' targets. */
export function knownJobs(config: NamesConfig): string[] {
  const jobs = new Set(config.scrape_configs.map((job) => job.job_name));
  for (const cluster of config.clusters) {
    for (const target of cluster.targets) jobs.add(target);
  }
  return [...jobs].sort();
}

/**
 * Parses the command text.
 *
 * @example
 * parseSlashCommand('prod apiserver', config); // { kind: 'run', clusters: ['prod'], jobs: ['apiserver'] }
 */
export function parseSlashCommand(text: string, config: NamesConfig): SlashCommand {
  const words = text.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || (words.length === 1 && /^(help|-h|--help|\?)$/i.test(words[0]!))) {
    return { kind: 'help' };
  }
  const clusterNames = config.clusters.map((c) => c.name);
  const jobNames = knownJobs(config);
  if (words.length === 1 && words[0] === 'all' && !clusterNames.includes('all')) {
    return { kind: 'run', clusters: [], jobs: [] };
  }
  const clusters: string[] = [];
  const jobs: string[] = [];
  const unknown: string[] = [];
  for (const word of words) {
    if (clusterNames.includes(word)) {
      if (!clusters.includes(word)) clusters.push(word);
    } else if (jobNames.includes(word)) {
      if (!jobs.includes(word)) jobs.push(word);
    } else unknown.push(word);
  }
  if (clusters.length > 0 && jobs.length > 0) {
    // `prod apiserver` means prod's apiserver: the runner reads that as `prod/apiserver` (a bare
    // `apiserver` would select it in every cluster).
    const names: string[] = [];
    for (const job of jobs) {
      const inClusters = config.clusters.filter(
        (c) => clusters.includes(c.name) && (c.targets as readonly string[]).includes(job),
      );
      for (const c of inClusters) names.push(`${c.name}/${job}`);
      if (inClusters.length === 0) {
        if (config.scrape_configs.some((j) => j.job_name === job)) names.push(job);
        else unknown.push(job);
      }
    }
    if (unknown.length === 0) return { kind: 'run', clusters: [], jobs: names };
  }
  if (unknown.length > 0) {
    return { kind: 'unknown', words: unknown, clusters: clusterNames, jobs: jobNames };
  }
  return { kind: 'run', clusters, jobs };
}

/** Who may run checks: `chatops.allow_users` and `chatops.allow_channels`. */
export type AccessVerdict = { ok: true } | { ok: false; why: string };

/**
 * Applies the allow-lists. A user must be listed in `allow_users` (when it lists anyone) and the
 * channel in `allow_channels` (when it lists any). With both lists empty nobody is allowed: the
 * default is closed, and the refusal says which key opens it.
 */
export function checkAccess(
  chatops: Pick<Config['chatops'], 'allow_users' | 'allow_channels'>,
  user: string,
  channel: string,
): AccessVerdict {
  const users = chatops.allow_users;
  const channels = chatops.allow_channels;
  if (users.length === 0 && channels.length === 0) {
    return {
      ok: false,
      why: 'running checks from Slack is not enabled yet: an admin can list users or channels in the config under chatops.allow_users / chatops.allow_channels',
    };
  }
  if (users.length > 0 && !users.includes(user)) {
    return {
      ok: false,
      why: 'you are not on the list of people who may run checks from Slack (chatops.allow_users)',
    };
  }
  if (channels.length > 0 && !channels.includes(channel)) {
    return { ok: false, why: 'checks cannot be run from this channel (chatops.allow_channels)' };
  }
  return { ok: true };
}
