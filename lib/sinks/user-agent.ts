/** The User-Agent the sinks send: `scrape-check/<version>`, the version from package.json. */
import packageJson from '../../package.json' with { type: 'json' };

export const USER_AGENT = `scrape-check/${packageJson.version}`;
