/**
 * The `TestRelabel` cases prometheus/prometheus added after v2.42.0 (HEAD
 * `model/relabel/relabel_test.go`), with their place in HEAD's table.
 */
import type { RelabelCase } from './prometheus-cases.ts';

const lines = { a: 'line1\nline2', b: 'bar', c: 'baz' };

/** Cases HEAD added after v2.42.0, in HEAD's order (with their place in the table). */
export const HEAD_ONLY: { after: string; case: RelabelCase }[] = [
  {
    after: 'no replacement without a match',
    case: {
      name: 'blank replacement should delete the label',
      input: { a: 'foo', f: 'baz' },
      relabel: [
        {
          source_labels: ['a'],
          regex: '(f).*',
          target_label: '$1',
          replacement: '$2',
          action: 'replace',
        },
      ],
      output: { a: 'foo' },
    },
  },
  {
    after: 'more complex real-life like usecase',
    case: {
      name: 'prometheus/prometheus#12283',
      input: {
        __meta_kubernetes_pod_container_port_name: 'foo',
        __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091',
      },
      relabel: [
        { regex: '^__meta_kubernetes_pod_container_port_name$', action: 'labeldrop' },
        {
          source_labels: ['__meta_kubernetes_pod_annotation_XXX_metrics_port'],
          regex: '(.+)',
          action: 'replace',
          replacement: 'metrics',
          target_label: '__meta_kubernetes_pod_container_port_name',
        },
        {
          source_labels: ['__meta_kubernetes_pod_container_port_name'],
          regex: '^metrics$',
          action: 'keep',
        },
      ],
      output: {
        __meta_kubernetes_pod_annotation_XXX_metrics_port: '9091',
        __meta_kubernetes_pod_container_port_name: 'metrics',
      },
    },
  },
];

/** The seven cases HEAD appended at the end of the table. */
export const HEAD_TAIL: RelabelCase[] = [
  {
    name: 'line1.*line2 across a newline',
    input: lines,
    relabel: [
      {
        source_labels: ['a'],
        regex: 'line1.*line2',
        target_label: 'd',
        separator: ';',
        replacement: 'match${1}',
        action: 'replace',
      },
    ],
    output: { ...lines, d: 'match' },
  },
  {
    name: 'replace on source label with UTF-8 characters',
    input: { 'utf-8.label': 'line1\nline2', b: 'bar', c: 'baz' },
    relabel: [
      {
        source_labels: ['utf-8.label'],
        regex: 'line1.*line2',
        target_label: 'd',
        separator: ';',
        replacement: 'match${1}',
        action: 'replace',
      },
    ],
    output: { 'utf-8.label': 'line1\nline2', b: 'bar', c: 'baz', d: 'match' },
  },
  {
    name: 'replace targetLabel with UTF-8 characters',
    input: lines,
    relabel: [
      {
        source_labels: ['a'],
        regex: 'line1.*line2',
        target_label: 'utf-8.label',
        separator: ';',
        replacement: 'match${1}',
        action: 'replace',
      },
    ],
    output: { ...lines, 'utf-8.label': 'match' },
  },
  {
    name: 'replace targetLabel with UTF-8 characters and $variable',
    input: lines,
    relabel: [
      {
        source_labels: ['a'],
        regex: 'line1.*line2',
        target_label: 'utf-8.label${1}',
        separator: ';',
        replacement: 'match${1}',
        action: 'replace',
      },
    ],
    output: { ...lines, 'utf-8.label': 'match' },
  },
  {
    name: 'replace targetLabel with UTF-8 characters and various $var styles',
    input: lines,
    relabel: [
      {
        source_labels: ['a'],
        regex: '(line1).*(?<second>line2)',
        target_label: 'label1_${1}',
        separator: ';',
        replacement: 'val_${second}',
        action: 'replace',
      },
      {
        source_labels: ['a'],
        regex: '(line1).*(?<second>line2)',
        target_label: 'label2_$1',
        separator: ';',
        replacement: 'val_$second',
        action: 'replace',
      },
    ],
    output: { ...lines, label1_line1: 'val_line2', label2_line1: 'val_line2' },
  },
  {
    name: '__type__ from the metric name',
    input: { __name__: 'http_requests_total' },
    relabel: [
      {
        source_labels: ['__name__'],
        regex: '.*_total$',
        target_label: '__type__',
        replacement: 'counter',
        action: 'replace',
      },
    ],
    output: { __name__: 'http_requests_total', __type__: 'counter' },
  },
  {
    name: '__unit__ from the metric name',
    input: { __name__: 'disk_usage_bytes' },
    relabel: [
      {
        source_labels: ['__name__'],
        regex: '.*_bytes$',
        target_label: '__unit__',
        replacement: 'bytes',
        action: 'replace',
      },
    ],
    output: { __name__: 'disk_usage_bytes', __unit__: 'bytes' },
  },
];
