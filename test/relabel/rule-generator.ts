/**
 * Random scrape jobs for the differential against `promtool check service-discovery` (Prometheus
 * 2.42): relabel rule chains that 2.42's loader accepts (every action it has, RE2 regexes, Go
 * templates), job settings that change the discovered labels (`params`, `scheme`, `metrics_path`,
 * intervals), and file_sd target groups whose addresses are unique across the file (so a target's
 * discovered `__address__` names it), with `__meta_*` labels, empty values, spaces, `/`, unicode.
 *
 * Everything is drawn from fast-check arbitraries, so a seed reproduces a scenario exactly
 * (`generateScenario`). The renderers write the two files Prometheus reads: a prometheus.yml whose
 * every scalar is a JSON-quoted YAML string (the same text for Go's yaml.v2 and for `yaml`), and
 * the file_sd JSON.
 *
 * What the generator keeps away from, because 2.42's loader refuses it (model/relabel/relabel.go
 * v2.42.0 `UnmarshalYAML`): `(?<name>` groups, a duplicated group name, `target_label`s that are
 * not legacy templated names, `labelmap` replacements that are not, `keepequal`/`dropequal` with
 * any field but `source_labels` and `target_label`, `labeldrop`/`labelkeep` with any but `regex`,
 * `replacement` on `lowercase`/`uppercase`, hashmod without a modulus, and a scrape timeout above
 * the interval. Everything else goes, including chains that drop or fail every target.
 */
import fc from 'fast-check';

/** One `relabel_configs` entry as written in YAML; absent keys are left out. */
export interface RuleSpec {
  action: string;
  source_labels?: string[];
  separator?: string;
  regex?: string;
  modulus?: number;
  target_label?: string;
  replacement?: string;
}

/** A file_sd target group: addresses, and the group's labels (`""` included, as written). */
export interface GroupSpec {
  targets: string[];
  labels: Record<string, string>;
}

/** One scrape job: the settings that shape its discovered labels, and its rule chain. */
export interface JobSpec {
  job_name: string;
  scheme?: 'http' | 'https';
  metrics_path?: string;
  params?: Record<string, string[]>;
  honor_labels?: boolean;
  scrape_interval?: string;
  scrape_timeout?: string;
  relabel_configs: RuleSpec[];
}

/** The file's groups and the jobs that read it. */
export interface Scenario {
  groups: GroupSpec[];
  jobs: JobSpec[];
}

// ---------------------------------------------------------------------------------------------
// Label names and values

const META_NAMES = [
  '__meta_kubernetes_namespace',
  '__meta_kubernetes_pod_name',
  '__meta_kubernetes_pod_label_app_kubernetes_io_name',
  '__meta_consul_tags',
  '__meta_ec2_tag_Name',
  '__meta_x',
] as const;
const PLAIN_NAMES = ['env', 'team', 'app', 'region'] as const;
/** Group labels that preset what the job would default, or what a rule reads: rare on purpose. */
const RARE_NAMES = [
  'instance',
  'job',
  '__param_module',
  '__scheme__',
  '__metrics_path__',
  '__scrape_interval__',
] as const;

const groupLabelName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...META_NAMES) },
  { weight: 4, arbitrary: fc.constantFrom(...PLAIN_NAMES) },
  { weight: 1, arbitrary: fc.constantFrom(...RARE_NAMES) },
);

const COMMON_VALUES = ['prod', 'dev', 'Prod', 'web', 'node-7', 'team-a', '42'] as const;
const TRICKY_VALUES = [
  '',
  'a b',
  ' lead',
  'trail ',
  'a/b',
  '/metrics',
  'x:9100',
  '10.0.0.1',
  '[::1]:9',
  'UPPER',
  'ünïcødé',
  '日本語',
  'İstanbul',
  'straße',
  'ǅ',
  'Ωmega',
  '😀',
  'a;b',
  'true',
  'https',
  'ftp',
  '30s',
  '5m',
  '$1',
  'a\\b',
  'tab\there',
  'line\nbreak',
] as const;

const labelValue = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...COMMON_VALUES) },
  { weight: 4, arbitrary: fc.constantFrom(...TRICKY_VALUES) },
);

/** Names a rule may read: the file's, the job's defaults, and some nobody sets. */
const SOURCE_NAMES = [
  ...META_NAMES,
  ...PLAIN_NAMES,
  '__address__',
  '__scheme__',
  '__metrics_path__',
  '__param_x',
  '__param_module',
  '__meta_filepath',
  '__scrape_interval__',
  'job',
  'instance',
  'absent',
] as const;

const sourceName = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('__address__', 'env', '__meta_kubernetes_namespace') },
  { weight: 5, arbitrary: fc.constantFrom(...SOURCE_NAMES) },
);

// ---------------------------------------------------------------------------------------------
// Regexes: a small RE2 grammar (Go 1.19 regexp/syntax, as 2.42 compiles it, anchored by Prometheus)

/** Self-contained pieces: any concatenation of them is a valid RE2 pattern. */
const ATOMS = [
  '.*',
  '.+',
  '(.*)',
  '(.+)',
  '[a-z]+',
  '([a-z]+)',
  '[^:]+',
  '([^:]+)',
  '[^/]*',
  '\\d+',
  '(\\d+)',
  '\\d',
  '[0-9.]+',
  '\\w+',
  '(\\w+)',
  '\\S+',
  '\\s',
  '\\s*',
  'prod',
  'dev',
  'Prod',
  'node',
  'node-\\d+',
  '\\.example',
  ':',
  ':(\\d+)',
  '(?P<name>[a-z]+)',
  '(?P<port>\\d+)',
  '(?i)prod',
  '(?i)node',
  '(?i:[a-z]+)',
  '\\[',
  '\\]',
  '\\[([0-9a-f:]+)\\]',
  '[[:alpha:]]+',
  '[[:upper:]]',
  '[[:^digit:]]*',
  '(?s).',
  '(?U)(.+)',
  'ü',
  '日本',
  '\\pL+',
  '\\p{Greek}',
  '\\Q.\\E',
  '(prod|dev)',
  'prod|dev',
  '(?:a|b)',
  'x?',
  'z*',
  '/',
  '(.*)/(.*)',
  '([^;]*);(.*)',
  '.{2,4}',
  '[\\d.]+',
  '\\x41',
  '\\b',
  '\\A',
  '\\z',
  '(|a)',
  '()',
  '^',
  '$',
  '[^\\x00-\\x7f]+',
  '10\\.(\\d+)\\.',
] as const;

const sequence = fc
  .array(fc.constantFrom(...ATOMS), { minLength: 1, maxLength: 3 })
  .map((atoms) => atoms.join(''));

/**
 * Keeps each group name once: a repeated name is one narrow case, tested on its own in
 * promtool-property.test.ts, and would otherwise crowd the generated chains.
 */
function oneOfEachName(pattern: string): string {
  for (const name of ['name', 'port']) {
    const opener = `(?P<${name}>`;
    const first = pattern.indexOf(opener);
    if (first < 0) continue;
    const head = pattern.slice(0, first + opener.length);
    pattern = head + pattern.slice(head.length).replaceAll(opener, '(');
  }
  return pattern;
}

/** A grammar regex: 1–3 atoms, sometimes an alternation of two such, sometimes `(?i)`. */
const grammarRegex: fc.Arbitrary<string> = fc
  .tuple(sequence, fc.option(sequence, { nil: undefined, freq: 4 }), fc.boolean(), fc.nat(9))
  .map(([a, b, alternate, flags]) => {
    const body = alternate && b !== undefined ? `${a}|${b}` : a;
    return oneOfEachName(flags === 0 ? `(?i)${body}` : body);
  });

/**
 * Patterns written for the generated values and addresses, so that one rule splits a job's
 * targets (odd and even addresses, ports, one value of `env`) instead of taking all or none.
 */
const VALUE_PATTERNS = [
  'prod',
  'dev|prod',
  '(?i)prod',
  'Prod',
  'node-\\d+\\.example(:\\d+)?',
  'node-(\\d+)\\.example:(\\d+)',
  '192\\.168\\..*',
  '.*:9100',
  '.*:8080',
  '\\[.*\\](:\\d+)?',
  '(.*):(\\d+)',
  '([^:]+)(?::\\d+)?',
  '(?P<name>[^:.]+)\\.(.*)',
  '.*\\.example.*',
  '(?i)NODE-.*',
  '.*[13579](:\\d+)?',
  '.*[02468]:.*',
  '.*[0-4]\\D*',
  'a b',
  '.*ü.*',
  '.*/.*',
  '(.+)',
  '.*;.*',
  'https?',
  'web|team-a|42',
  '(\\w+)-(\\d+)',
] as const;

/** A value regex: most often written for the values, else from the grammar. */
export const valueRegex: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...VALUE_PATTERNS) },
  { weight: 2, arbitrary: grammarRegex },
);

/** Regexes over label names, for `labelmap`, `labeldrop` and `labelkeep`. */
const NAME_REGEXES = [
  '__meta_(.+)',
  '__meta_kubernetes_(.+)',
  '__meta_(\\w+?)_(.+)',
  '__meta_kubernetes_pod_label_(.+)',
  '(.*)',
  '(.+)',
  'env|team',
  '(?i)ENV',
  '__(.*)',
  '__.*',
  '__param_(.*)',
  'job|instance',
  '[a-z]+',
  '__address__|__scheme__|__metrics_path__|__scrape_.*|job|instance',
  '__address__|__scheme__|__metrics_path__|__scrape_.*|job|instance|env|team|__meta_.+',
  '.*_name',
  '(__meta_)?x',
  '(?P<n>[a-z]+)_(.*)',
  '([a-z]+)',
  'absent',
] as const;

const nameRegex = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NAME_REGEXES) },
  { weight: 1, arbitrary: grammarRegex },
);

// ---------------------------------------------------------------------------------------------
// Templates, targets, rules

/** `replacement`: Go templates (`$1`, `${1}`, `$name`, `$1x` = group "1x") and literals. */
const REPLACEMENTS = [
  '$1',
  '${1}',
  '$2',
  '$1:$2',
  '${1}:9100',
  '$1x',
  '$name',
  '${name}',
  '${port}',
  '$0',
  'x-$1',
  '$$1',
  '$1.$2',
  '${1}_${2}',
  'lit',
  '',
  '2m',
  '0s',
  'https',
  'ftp',
  '/probe',
  'probe',
  'x:1',
  '[::1]:9',
  'a/b',
  'Mixed Case ü',
] as const;

/** `target_label` for `replace`: internal labels, public ones, and templates. */
const REPLACE_TARGETS = [
  '__address__',
  '__address__',
  '__metrics_path__',
  '__scheme__',
  '__param_module',
  'instance',
  'instance',
  'env',
  'team',
  'job',
  'new_label',
  '__tmp_a',
  '__scrape_timeout__',
  '__scrape_timeout__',
  '__scrape_interval__',
  '$1',
  '${1}',
  'x_$1',
  '__param_$1',
  '$1x',
  '${name}',
] as const;

/** Plain legacy names: `keepequal`/`dropequal`/`hashmod` targets, most case-mapping targets. */
const PLAIN_TARGETS = [
  'env',
  'team',
  'app',
  'instance',
  '__address__',
  'job',
  '__tmp_a',
  'shard',
  '__param_module',
] as const;

/** `labelmap` replacements: 2.42 requires a legacy templated name. */
const LABELMAP_REPLACEMENTS = [
  '$1',
  '${1}',
  'k8s_$1',
  '${1}_x',
  '$2',
  'meta_${1}',
  '$1$2',
  'fixed',
  '$n',
  '${n}_1',
  '$1x',
  'env',
] as const;

const SEPARATORS = [';', '', '-', '|', ' ', ';;', 'é'] as const;
const MODULI = [1, 2, 3, 7, 10, 1000, 4294967296] as const;

const opt = <T>(arb: fc.Arbitrary<T>, freq = 2): fc.Arbitrary<T | undefined> =>
  fc.option(arb, { nil: undefined, freq });

const sources = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ['__address__'],
      ['env'],
      ['team'],
      ['__meta_kubernetes_namespace'],
      ['__scheme__'],
      ['__address__', 'env'],
      ['instance'],
    ),
  },
  { weight: 2, arbitrary: fc.array(sourceName, { minLength: 1, maxLength: 3 }) },
);

/** Drops the keys whose value is undefined, so that they are left out of the YAML. */
function defined(rule: Record<string, unknown>): RuleSpec {
  return Object.fromEntries(
    Object.entries(rule).filter(([, v]) => v !== undefined),
  ) as unknown as RuleSpec;
}

const replaceRule = fc
  .record({
    action: fc.constant('replace'),
    source_labels: opt(sources, 6),
    separator: opt(fc.constantFrom(...SEPARATORS)),
    regex: opt(valueRegex, 4),
    target_label: fc.constantFrom(...REPLACE_TARGETS),
    replacement: opt(fc.constantFrom(...REPLACEMENTS), 4),
  })
  .map(defined);

const filterRule = fc
  .record({
    action: fc.constantFrom('keep', 'drop'),
    source_labels: opt(sources, 8),
    separator: opt(fc.constantFrom(...SEPARATORS)),
    regex: fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('.*', '.+', '(.*)', 'prod|dev', '.*prod.*', '') },
      { weight: 3, arbitrary: valueRegex },
    ),
  })
  .map(defined);

const equalRule = fc
  .record({
    action: fc.constantFrom('keepequal', 'dropequal'),
    source_labels: sources,
    target_label: fc.constantFrom(...PLAIN_TARGETS),
  })
  .map(defined);

const hashmodRule = fc
  .record({
    action: fc.constant('hashmod'),
    source_labels: opt(sources, 8),
    separator: opt(fc.constantFrom(...SEPARATORS)),
    modulus: fc.constantFrom(...MODULI),
    target_label: fc.constantFrom(...PLAIN_TARGETS),
  })
  .map(defined);

const labelmapRule = fc
  .record({
    action: fc.constant('labelmap'),
    regex: nameRegex,
    replacement: opt(fc.constantFrom(...LABELMAP_REPLACEMENTS), 6),
  })
  .map(defined);

const labelFilterRule = fc
  .record({ action: fc.constantFrom('labeldrop', 'labelkeep'), regex: nameRegex })
  .map(defined);

const caseRule = fc
  .record({
    action: fc.constantFrom('lowercase', 'uppercase'),
    source_labels: sources,
    separator: opt(fc.constantFrom(...SEPARATORS)),
    // 2.42 sets a templated target literally ("${1}" becomes a label of that name).
    target_label: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...PLAIN_TARGETS) },
      { weight: 1, arbitrary: fc.constantFrom('${1}', 'x_$1') },
    ),
  })
  .map(defined);

/** One rule of any action 2.42 has, weighted so that most chains keep some targets. */
export const ruleArbitrary: fc.Arbitrary<RuleSpec> = fc.oneof(
  { weight: 8, arbitrary: replaceRule },
  { weight: 3, arbitrary: filterRule },
  { weight: 2, arbitrary: equalRule },
  { weight: 2, arbitrary: hashmodRule },
  { weight: 3, arbitrary: labelmapRule },
  { weight: 2, arbitrary: labelFilterRule },
  { weight: 2, arbitrary: caseRule },
);

export const chainArbitrary: fc.Arbitrary<RuleSpec[]> = fc.array(ruleArbitrary, {
  minLength: 0,
  maxLength: 6,
});

// ---------------------------------------------------------------------------------------------
// Jobs and target groups

const INTERVALS: { scrape_interval?: string; scrape_timeout?: string }[] = [
  {},
  {},
  { scrape_interval: '30s' },
  { scrape_interval: '5s' },
  { scrape_interval: '30s', scrape_timeout: '30s' },
  { scrape_interval: '1m30s', scrape_timeout: '15s' },
  { scrape_interval: '2h' },
];

const PARAMS: (Record<string, string[]> | undefined)[] = [
  undefined,
  undefined,
  { module: ['http_2xx'] },
  { module: ['a', 'b'], x: ['y'] },
  { target: ['https://example.com/a b'] },
  { module: [''] },
  { x: ['ü/é'] },
];

const jobSettings = fc.record({
  scheme: opt(fc.constantFrom<'http' | 'https'>('http', 'https')),
  metrics_path: opt(fc.constantFrom('/metrics', 'metrics', '/probe', 'a b/c', '/x?y=1')),
  params: fc.constantFrom(...PARAMS),
  honor_labels: opt(fc.boolean()),
  interval: fc.constantFrom(...INTERVALS),
});

/** Address shapes; `address(shape, i)` makes each unique by its index in the file. */
const SHAPES = [
  'host',
  'host:port',
  'ipv4',
  'ipv4:port',
  '[ipv6]',
  '[ipv6]:port',
  'ipv6',
  'upper:port',
  'host:',
  'slash',
  'unicode',
  'zone',
  'colons',
  'port-only',
] as const;
type Shape = (typeof SHAPES)[number];

function address(shape: Shape, i: number): string {
  const hex = i.toString(16);
  switch (shape) {
    case 'host':
      return `node-${i}.example`;
    case 'host:port':
      return `node-${i}.example:9100`;
    case 'ipv4':
      return `10.${(i >> 8) & 255}.${i & 255}.7`;
    case 'ipv4:port':
      return `192.168.${(i >> 8) & 255}.${i & 255}:8080`;
    case '[ipv6]':
      return `[2001:db8::${hex}]`;
    case '[ipv6]:port':
      return `[fd00::${hex}]:9100`;
    case 'ipv6':
      return `fe80::${hex}`;
    case 'upper:port':
      return `Node-${i}.Example.COM:443`;
    case 'host:':
      return `node-${i}.empty:`;
    case 'slash':
      return `node-${i}.example/x`;
    case 'unicode':
      return `nöde-${i}.example:9100`;
    case 'zone':
      return `[fe80::${hex}%eth0]:9100`;
    // Neither splits as host:port nor would with a port added: kept as is.
    case 'colons':
      return `node-${i}:1:2`;
    case 'port-only':
      return `:${10000 + i}`;
  }
}

const shape = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom<Shape>('host', 'host:port', 'ipv4', 'ipv4:port') },
  { weight: 1, arbitrary: fc.constantFrom(...SHAPES) },
);

const groupLabels = fc
  .dictionary(groupLabelName, labelValue, { minKeys: 0, maxKeys: 5 })
  .map((labels) => ({ ...labels }));

/** Options for `scenarioArbitrary`. */
export interface ScenarioSize {
  /** How many jobs (one rule chain each). */
  chains: number;
  /** How many targets (label sets) in the file. */
  targets: number;
}

/** A file of `targets` targets in random groups (some empty), and `chains` jobs reading it. */
export function scenarioArbitrary(size: ScenarioSize): fc.Arbitrary<Scenario> {
  const groupCount = Math.max(1, Math.round(size.targets / 5));
  return fc
    .record({
      labels: fc.array(groupLabels, { minLength: groupCount, maxLength: groupCount }),
      targets: fc.array(fc.tuple(shape, fc.nat()), {
        minLength: size.targets,
        maxLength: size.targets,
      }),
      jobs: fc.array(fc.tuple(jobSettings, chainArbitrary), {
        minLength: size.chains,
        maxLength: size.chains,
      }),
    })
    .map(({ labels, targets, jobs }) => {
      const groups: GroupSpec[] = labels.map((l) => ({ targets: [], labels: l }));
      // Every shape at least once, then random ones.
      targets.forEach(([s, g], i) => {
        groups[g % groups.length]!.targets.push(address(SHAPES[i] ?? s, i));
      });
      return {
        groups,
        jobs: jobs.map(([settings, chain], i) => {
          const job: JobSpec = { job_name: `chain_${i}`, relabel_configs: chain };
          if (settings.scheme !== undefined) job.scheme = settings.scheme;
          if (settings.metrics_path !== undefined) job.metrics_path = settings.metrics_path;
          if (settings.params !== undefined) job.params = settings.params;
          if (settings.honor_labels !== undefined) job.honor_labels = settings.honor_labels;
          Object.assign(job, settings.interval);
          return job;
        }),
      };
    });
}

/** The scenario `seed` gives: the same seed, the same files. */
export function generateScenario(seed: number, size: ScenarioSize): Scenario {
  // Unbiased: fast-check's bias favours first constants and short arrays, which here would
  // give every job the same few addresses and rules.
  const [scenario] = fc.sample(fc.noBias(scenarioArbitrary(size)), { seed, numRuns: 1 });
  return scenario!;
}

// ---------------------------------------------------------------------------------------------
// Rendering

const q = (value: unknown): string => JSON.stringify(value);

function flowMap(entries: [string, unknown][]): string {
  return `{${entries.map(([k, v]) => `${q(k)}: ${q(v)}`).join(', ')}}`;
}

/** One job as YAML under `scrape_configs:`, reading the file_sd file `file` (absolute path). */
export function renderJob(job: JobSpec, file: string): string {
  const lines = [`  - job_name: ${q(job.job_name)}`];
  if (job.scheme !== undefined) lines.push(`    scheme: ${q(job.scheme)}`);
  if (job.metrics_path !== undefined) lines.push(`    metrics_path: ${q(job.metrics_path)}`);
  if (job.honor_labels !== undefined) lines.push(`    honor_labels: ${String(job.honor_labels)}`);
  if (job.scrape_interval !== undefined)
    lines.push(`    scrape_interval: ${q(job.scrape_interval)}`);
  if (job.scrape_timeout !== undefined) lines.push(`    scrape_timeout: ${q(job.scrape_timeout)}`);
  if (job.params !== undefined) lines.push(`    params: ${flowMap(Object.entries(job.params))}`);
  lines.push('    file_sd_configs:', `      - files: [${q(file)}]`);
  if (job.relabel_configs.length === 0) lines.push('    relabel_configs: []');
  else {
    lines.push('    relabel_configs:');
    for (const rule of job.relabel_configs) lines.push(`      - ${flowMap(Object.entries(rule))}`);
  }
  return lines.join('\n') + '\n';
}

/** A prometheus.yml with `jobs`, each reading `file`. */
export function renderConfig(jobs: readonly JobSpec[], file: string): string {
  return `scrape_configs:\n${jobs.map((job) => renderJob(job, file)).join('')}`;
}

/** The file_sd JSON for `groups`. */
export function renderTargets(groups: readonly GroupSpec[]): string {
  return JSON.stringify(groups, null, 1) + '\n';
}
