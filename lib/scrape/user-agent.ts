import pkg from '../../package.json' with { type: 'json' };

/** Names scrape-check to the server, as Prometheus's `Prometheus/<version>` names Prometheus. */
export const USER_AGENT = `scrape-check/${pkg.version}`;
