import pkg from '../../package.json' with { type: 'json' };

/** Names scrape-check to every server it talks to (targets, remote_write, Slack), as `Prometheus/<version>` names Prometheus. */
export const USER_AGENT = `scrape-check/${pkg.version}`;
