/**
 * The rejection catalogue: input, format, and the exact `line:column: message`. Each row names
 * what Prometheus 2.42 does with it (`promparse_test.go`, `openmetricsparse_test.go`) or the spec
 * line it enforces. Used by errors.test.ts and, split at every byte, by chunking.test.ts.
 */
import type { ExpositionFormat } from '#lib/exposition/index.ts';

export interface ErrorCase {
  format: ExpositionFormat;
  input: string;
  error: string;
  /** Why this is an error: the Prometheus test row or the spec. */
  why: string;
  /** Parse with this maxLineBytes. */
  maxLineBytes?: number;
  /** The input is bytes written as Latin-1 (for invalid UTF-8), not text. */
  latin1?: boolean;
}

const P = 'prometheus';
const O = 'openmetrics';
const PROM_TYPES = 'counter, gauge, histogram, summary or untyped';
const OM_TYPES = 'counter, gauge, histogram, gaugehistogram, summary, info, stateset or unknown';
const INTERLEAVED = '(OpenMetrics families must not be interleaved)';

// One case per line, so that it reads as the table it is.
// prettier-ignore
export const ERROR_CASES: ErrorCase[] = [
  // ---------------------------------------------------------------- text 0.0.4: sample lines
  { format: P, input: 'a', error: '1:2: expected a value after the metric, got end of line', why: 'promparse_test "a"' },
  { format: P, input: "a{b='c'} 1\n", error: `1:5: expected a label value in double quotes, got "'c'"`, why: 'promparse_test' },
  { format: P, input: 'a{b=\n', error: '1:5: expected a label value in double quotes, got end of line', why: 'promparse_test' },
  { format: P, input: 'a{\u00ff="foo"} 1\n', error: '1:3: expected a label name or "}", got "ÿ"', why: 'promparse_test: label names are [a-zA-Z_][a-zA-Z0-9_]*' },
  { format: P, input: '{"a", "b = "c"}', error: '1:13: expected "=" after the label name, got "c"', why: 'promparse_test (UTF-8 names)' },
  { format: P, input: 'a true\n', error: '1:3: expected a number, got "true"', why: 'promparse_test: strconv.ParseFloat' },
  { format: P, input: 'something_weird{problem="', error: '1:26: expected a closing quote for the label value, got end of line', why: 'promparse_test' },
  { format: P, input: 'empty_label_name{=""} 0', error: '1:18: expected a label name or "}", got "="', why: 'promparse_test' },
  { format: P, input: 'foo 1_2\n', error: '1:5: expected a number, got "1_2"', why: 'promparse_test: no underscores (pre-Go 1.13 floats)' },
  { format: P, input: 'foo 0x1p-3\n', error: '1:5: expected a number, got "0x1p-3"', why: 'promparse_test: no hex floats' },
  { format: P, input: 'foo 0 1_2\n', error: '1:8: expected the end of the line after the timestamp, got "_2"', why: 'promparse_test' },
  { format: P, input: '{a="ok"} 1', error: '1:1: expected a metric name before "{" or quoted inside it, got none', why: 'promparse_test: metric name not set' },
  { format: P, input: '{"a","b"} 1\n', error: '1:6: expected one metric name, got a second, "b"', why: 'promparse.go: metric name already set' },
  { format: P, input: 'a 1 -5\n', error: '1:5: expected a timestamp or the end of the line, got "-5"', why: 'promlex.l <sTimestamp>{D}+' },
  { format: P, input: 'a 1 2 3\n', error: '1:7: expected the end of the line after the timestamp, got "3"', why: 'promparse.go: expected next entry after timestamp' },
  { format: P, input: 'a 1 99999999999999999999\n', error: '1:5: expected a timestamp within int64, got "99999999999999999999"', why: 'strconv.ParseInt range' },
  { format: P, input: 'a 1e400\n', error: '1:3: expected a number within float64 range, got "1e400"', why: 'strconv.ParseFloat ErrRange' },
  { format: P, input: 'a +nan\n', error: '1:3: expected a number, got "+nan"', why: 'strconv.ParseFloat: NaN takes no sign' },
  { format: P, input: 'a infin\n', error: '1:3: expected a number, got "infin"', why: 'strconv.ParseFloat: inf or infinity only' },
  { format: P, input: 'a 1.5.\n', error: '1:3: expected a number, got "1.5."', why: 'strconv.ParseFloat' },
  { format: P, input: 'a 1\r\n', error: '1:3: expected a number, got "1\\r" (lines must end in "\\n", not "\\r\\n")', why: 'promlex.l: \\r is part of the value' },
  { format: P, input: '9 1\n', error: '1:1: expected a metric name or "#", got "9"', why: 'promlex.l: names start [a-zA-Z_:]' },
  { format: P, input: 'a{b="c"}{d="e"} 1\n', error: '1:9: expected a value after the metric, got "{"', why: 'promparse.go: one label set' },
  { format: P, input: 'a b c\n', error: '1:3: expected a number, got "b"', why: 'promparse.go' },
  { format: P, input: '\u0000a 1\n', error: '1:1: expected a metric name or "#", got "\\x00a"', why: 'stricter: promlex.l ends the input silently at a NUL' },
  // ---------------------------------------------------------------- label values (both formats)
  { format: P, input: 'a{b="\\x"} 1\n', error: '1:6: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\x"', why: 'text format: only \\\\ \\" \\n; expfmt: invalid escape sequence' },
  { format: O, input: 'a{b="\\t"} 1\n# EOF\n', error: '1:6: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\t"', why: 'OpenMetrics ABNF escaped-char' },
  { format: P, input: 'a{b="x\\\ny"} 1\n', error: '1:7: expected an escape sequence (\\\\, \\" or \\n) in the label value, got "\\\\"', why: 'a backslash before a line feed' },
  { format: P, input: 'a{"b\\q"="x"} 1\n', error: '1:5: expected an escape sequence (\\\\, \\" or \\n) in the label name, got "\\\\q"', why: 'quoted names escape alike' },
  { format: P, input: 'a{b="\u00c3"} 1\n', error: '1:6: expected a label value in UTF-8, got byte 0xc3', why: 'promparse.go: invalid UTF-8 label value', latin1: true },
  { format: P, input: 'a{b="1",b="2"} 1\n', error: '1:9: expected unique label names, got "b" again', why: 'OpenMetrics: label names MUST be unique; Prometheus refuses it on append' },
  { format: O, input: 'a{"b"="1",b="2"} 1\n# EOF\n', error: '1:11: expected unique label names, got "b" again', why: 'quoted and plain spellings of one name' },
  { format: P, input: 'a{__name__="x"} 1\n', error: '1:3: expected the metric name before "{", not as a label, got "__name__"', why: 'the name label would repeat' },
  { format: P, input: 'a{""="x"} 1\n', error: '1:3: expected a non-empty label name, got ""', why: 'an empty name is no name' },
  { format: P, input: '{""} 1\n', error: '1:2: expected a non-empty metric name, got ""', why: 'an empty name is no name' },
  // ---------------------------------------------------------------- text 0.0.4: metadata
  { format: P, input: '# TYPE #\n', error: '1:8: expected a metric name after TYPE, got "#"', why: 'promparse_test' },
  { format: P, input: '# HELP #\n', error: '1:8: expected a metric name after HELP, got "#"', why: 'promparse_test' },
  { format: P, input: '# HELP \n', error: '1:8: expected a metric name after HELP, got end of line', why: 'promparse.go: expected metric name after HELP' },
  { format: P, input: '# TYPE a foo\n', error: `1:10: expected a metric type (${PROM_TYPES}), got "foo"`, why: 'promparse.go: invalid metric type' },
  { format: P, input: '# TYPE a info\n', error: `1:10: expected a metric type (${PROM_TYPES}), got "info"`, why: 'text 0.0.4 has five types' },
  { format: P, input: '# TYPE a counter \n', error: `1:10: expected a metric type (${PROM_TYPES}), got "counter "`, why: 'promparse.go reads the rest of the line' },
  { format: P, input: '# TYPE a\n', error: `1:9: expected a metric type (${PROM_TYPES}), got none`, why: 'promparse.go: invalid metric type ""' },
  { format: P, input: '# TYPE a{ counter\n', error: '1:9: expected a space after the metric name, got "{"', why: 'stricter: promparse.go would drop the "{"' },
  { format: P, input: '# HELP a \u00ff\n', error: '1:10: expected help text in UTF-8, got byte 0xff', why: 'promparse.go: help text is not a valid utf8 string', latin1: true },
  { format: P, input: '# TYPE a counter\n# TYPE a counter\n', error: '2:8: expected one # TYPE line for "a", got a second', why: 'text format: only one TYPE line; expfmt: second TYPE line' },
  { format: P, input: '# TYPE a gauge\na 1\n# TYPE a gauge\n', error: '3:8: expected one # TYPE line for "a", got a second', why: 'text format: only one TYPE line' },
  { format: P, input: 'a 1\n# TYPE a gauge\n', error: '2:8: expected # TYPE before the first sample of "a", got it after', why: 'text format: TYPE before the first sample; expfmt: TYPE reported after samples' },
  { format: P, input: '# HELP a x\n# HELP a y\n', error: '2:8: expected one # HELP line for "a", got a second', why: 'text format: only one HELP line; expfmt: second HELP line' },
  // ---------------------------------------------------------------- OpenMetrics: lines
  { format: O, input: '', error: '1:1: expected "# EOF" as the last line, got end of input', why: 'openmetricsparse_test: data does not end with # EOF' },
  { format: O, input: 'metric 1', error: '1:9: expected "# EOF" as the last line, got end of input', why: 'openmetricsparse_test' },
  { format: O, input: 'metric 1\n', error: '2:1: expected "# EOF" as the last line, got end of input', why: 'openmetricsparse_test' },
  { format: O, input: 'metric_total 1 # {aa="bb"} 4', error: '1:29: expected "# EOF" as the last line, got end of input', why: 'openmetricsparse_test' },
  { format: O, input: '\n', error: '1:1: expected a metric name or "# ", got an empty line', why: 'openmetricsparse_test: no blank lines' },
  { format: O, input: 'metric', error: '1:7: expected a space and a value after the metric, got end of line', why: 'openmetricsparse_test' },
  { format: O, input: 'a\n# EOF\n', error: '1:2: expected a space and a value after the metric, got end of line', why: 'openmetricsparse_test' },
  { format: O, input: ' a 1\n# EOF\n', error: '1:1: expected a metric name or "# ", got " "', why: 'openmetricsparse_test' },
  { format: O, input: '9\n# EOF\n', error: '1:1: expected a metric name or "# ", got "9"', why: 'openmetricsparse_test' },
  { format: O, input: 'a\t1\n# EOF\n', error: '1:2: expected a space and a value after the metric, got "\\t"', why: 'openmetricsparse_test' },
  { format: O, input: 'a 1\t2\n# EOF\n', error: '1:3: expected a number, got "1\\t2"', why: 'openmetricsparse_test' },
  { format: O, input: 'a  1\n# EOF\n', error: '1:3: expected a value after the metric, got " "', why: 'openmetricslex.l: single spaces' },
  { format: O, input: 'a 1 2 \n# EOF\n', error: '1:7: expected an exemplar ("# {") or the end of the line, got end of line', why: 'openmetricsparse_test' },
  { format: O, input: 'a 1 2 #\n# EOF\n', error: '1:7: expected an exemplar ("# {") or the end of the line, got "#"', why: 'openmetricsparse_test' },
  { format: O, input: 'a 1 1z\n# EOF\n', error: '1:5: expected a timestamp in seconds, got "1z"', why: 'openmetricsparse_test' },
  { format: O, input: 'a 1 1 1\n# EOF\n', error: '1:7: expected an exemplar ("# {") or the end of the line, got "1"', why: 'openmetricsparse_test' },
  { format: O, input: 'a 1 NaN\n# EOF\n', error: '1:5: expected a finite timestamp, got "NaN"', why: 'openmetricsparse_test: invalid timestamp' },
  { format: O, input: 'a 1 -Inf\n# EOF\n', error: '1:5: expected a finite timestamp, got "-Inf"', why: 'openmetricsparse_test: invalid timestamp' },
  { format: O, input: 'foo 1_2\n# EOF\n', error: '1:5: expected a number, got "1_2"', why: 'openmetricsparse_test' },
  { format: O, input: 'a{,b="c"} 1\n# EOF\n', error: '1:3: expected a label name, got ","', why: 'openmetricsparse_test' },
  { format: O, input: 'a{b="c"d="e"} 1\n# EOF\n', error: '1:8: expected "," or "}", got "d"', why: 'openmetricsparse_test' },
  { format: O, input: 'a{b="c",,d="e"} 1\n# EOF\n', error: '1:9: expected a label name, got ","', why: 'openmetricsparse_test' },
  { format: O, input: 'a{b="c",} 1\n# EOF\n', error: '1:9: expected a label name, got "}"', why: 'OpenMetrics ABNF; 2.42 parseLVals: no trailing comma' },
  { format: O, input: 'a{ b="c"} 1\n# EOF\n', error: '1:3: expected a label name, got " "', why: 'openmetricslex.l: no blanks in label sets' },
  { format: O, input: 'a{b="x\ny"} 1\n# EOF\n', error: '1:7: expected a closing quote for the label value, got end of line', why: 'openmetricslex.l [^\\\\"\\n]' },
  // ---------------------------------------------------------------- OpenMetrics: exemplars
  { format: O, input: 'custom_metric_total 1 # {aa=bb}\n# EOF\n', error: '1:29: expected a label value in double quotes, got "bb"', why: 'openmetricsparse_test' },
  { format: O, input: 'custom_metric_total 1 # {aa="bb"}\n# EOF\n', error: '1:34: expected a space and a value after the exemplar labels, got end of line', why: 'openmetricsparse_test' },
  { format: O, input: 'custom_metric_total 1 # {bb}\n# EOF\n', error: '1:28: expected "=" after the label name, got "}"', why: 'openmetricsparse_test' },
  { format: O, input: 'custom_metric_total 1 # {"bb"} 1\n# EOF\n', error: '1:30: expected "=" after the label name, got "}"', why: 'openmetricsparse.go: no metric name in an exemplar' },
  { format: O, input: 'custom_metric_total 1 # {aa="bb"} true\n# EOF\n', error: '1:35: expected an exemplar value, got "true"', why: 'openmetricsparse_test' },
  { format: O, input: 'custom_metric_total 1 # {aa="bb"} 1 NaN\n# EOF\n', error: '1:37: expected a finite exemplar timestamp, got "NaN"', why: 'openmetricsparse_test: invalid exemplar timestamp' },
  { format: O, input: 'custom_metric_total 1 # {aa="bb"} 1 2 3\n# EOF\n', error: '1:38: expected the end of the line, got " "', why: 'openmetricsparse.go: expected next entry after exemplar timestamp' },
  { format: O, input: 'a 1 # {b="1",b="2"} 1\n# EOF\n', error: '1:14: expected unique label names, got "b" again', why: 'OpenMetrics: LabelSet names unique' },
  // ---------------------------------------------------------------- OpenMetrics: metadata
  { format: O, input: '# TYPE u untyped\n# EOF\n', error: `1:10: expected a metric type (${OM_TYPES}), got "untyped"`, why: 'openmetricsparse_test' },
  { format: O, input: '# TYPE c counter \n# EOF\n', error: `1:10: expected a metric type (${OM_TYPES}), got "counter "`, why: 'openmetricsparse_test' },
  { format: O, input: '# TYPE c  counter\n# EOF\n', error: `1:10: expected a metric type (${OM_TYPES}), got " counter"`, why: 'openmetricsparse_test' },
  { format: O, input: '#  TYPE c counter\n# EOF\n', error: '1:1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "#  TYPE c counter"', why: 'openmetricsparse_test' },
  { format: O, input: '#\tTYPE c counter\n# EOF\n', error: '1:1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "#\\tTYPE c counter"', why: 'openmetricsparse_test' },
  { format: O, input: '# random comment\n# EOF\n', error: '1:1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "# random comment"', why: 'OpenMetrics has no comments' },
  { format: O, input: '# TYPE \n# EOF\n', error: '1:8: expected a metric name after TYPE, got end of line', why: 'openmetricsparse_test' },
  { format: O, input: '# TYPE m\n# EOF\n', error: '1:9: expected a space and the type after the metric name, got end of line', why: 'openmetricsparse_test: expected text in TYPE' },
  { format: O, input: '# HELP m\n# EOF\n', error: '1:9: expected a space and the help text after the metric name, got end of line', why: 'openmetricsparse_test: expected text in HELP' },
  { format: O, input: '# UNIT m\n# EOF\n', error: '1:9: expected a space and the unit after the metric name, got end of line', why: 'openmetricsparse_test: expected text in UNIT' },
  { format: O, input: '# UNIT metric suffix\n# EOF\n', error: '1:15: expected a unit that ends the metric name after "_" ("metric"), got "suffix"', why: 'openmetricsparse_test: unit not a suffix of metric' },
  { format: O, input: '# UNIT metricsuffix suffix\n# EOF\n', error: '1:21: expected a unit that ends the metric name after "_" ("metricsuffix"), got "suffix"', why: 'openmetricsparse_test' },
  { format: O, input: '# HELP a x\n# HELP a y\n# EOF\n', error: '2:8: expected one # HELP line for "a", got a second', why: 'OpenMetrics: at most one of each metadata line' },
  { format: O, input: '# TYPE a gauge\n# TYPE a gauge\n# EOF\n', error: '2:8: expected one # TYPE line for "a", got a second', why: 'OpenMetrics: at most one of each metadata line' },
  { format: O, input: '# UNIT a_s s\n# UNIT a_s s\n# EOF\n', error: '2:8: expected one # UNIT line for "a_s", got a second', why: 'OpenMetrics: at most one of each metadata line' },
  { format: O, input: '# TYPE a counter\na_total 1\n# HELP a x\n# EOF\n', error: '3:8: expected # HELP before the samples of "a", got it after them', why: 'OpenMetrics ABNF: metricfamily = *metric-descriptor *metric' },
  // ---------------------------------------------------------------- OpenMetrics: families and EOF
  { format: O, input: '# TYPE a counter\na_total 1\nb 1\na_total 2\n# EOF\n', error: `4:1: expected the samples of family "a" together ${INTERLEAVED}, got "a_total" after family "b"`, why: 'OpenMetrics: MetricFamilies MUST NOT be interleaved' },
  { format: O, input: 'a 1\nb 1\na 2\n# EOF\n', error: `3:1: expected the samples of family "a" together ${INTERLEAVED}, got "a" after family "b"`, why: 'OpenMetrics: MetricFamilies MUST NOT be interleaved' },
  { format: O, input: '# HELP a x\nb 1\n# TYPE a gauge\n# EOF\n', error: `3:8: expected the metadata and samples of family "a" together ${INTERLEAVED}, got # TYPE after family "b"`, why: 'OpenMetrics: MetricFamilies MUST NOT be interleaved' },
  { format: O, input: '# EOF\na 1', error: '2:1: expected the end of the input after "# EOF", got more bytes', why: 'openmetricsparse_test: unexpected data after # EOF' },
  { format: O, input: '# EOF\n\n', error: '2:1: expected the end of the input after "# EOF", got more bytes', why: 'openmetricsparse_test' },
  { format: O, input: '# EOF\n# EOF\n', error: '2:1: expected the end of the input after "# EOF", got more bytes', why: 'openmetricsparse_test' },
  { format: O, input: '# EOFa 1', error: '1:1: expected "# HELP", "# TYPE", "# UNIT" or "# EOF", got "# EOFa 1"', why: 'openmetricsparse_test' },
  { format: O, input: ' # EOF\n', error: '1:1: expected a metric name or "# ", got " "', why: 'openmetricsparse_test' },
  // ---------------------------------------------------------------- limits
  { format: P, input: 'a 1\nabcdefghij 1\n', error: '2:9: expected a line of at most 8 bytes (maxLineBytes), got a longer line', why: 'bounded memory', maxLineBytes: 8 },
  { format: O, input: 'a 1\nä{b="ü"} 1\n# EOF\n', error: '2:1: expected a metric name or "# ", got "ä"', why: 'names are ASCII unless quoted' },
  { format: P, input: 'aaa 1\n{"ü"} 123456', error: '2:8: expected a line of at most 8 bytes (maxLineBytes), got a longer line', why: 'the limit counts bytes; the column counts characters', maxLineBytes: 8 },
];

/** The bytes of a case's input. */
export function caseBytes(c: ErrorCase): Uint8Array {
  return c.latin1 === true
    ? new Uint8Array(Buffer.from(c.input, 'latin1'))
    : new TextEncoder().encode(c.input);
}
