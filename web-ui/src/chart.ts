// The chart view of a result (uPlot, loaded on first use): bar, line or area over chosen columns,
// with a time axis when the x column is a date or timestamp.

import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cellText, isTemporal, parseTemporal, type Column, type Row } from './results';

export type ChartKind = 'bar' | 'line' | 'area';

export interface ChartSpec {
  kind: ChartKind;
  x: number;
  y: number[];
}

const COLORS = ['#3b6fd4', '#e0803a', '#3a9e6e', '#c2417a', '#7a5cc7', '#8c8c2b', '#2b8c8c', '#b04a3a'];
const MAX_POINTS = 20_000;

/** The series uPlot draws: x values (seconds for time axes, positions for categories) and one array per y column. */
export function chartData(columns: Column[], rows: Row[], spec: ChartSpec): { data: uPlot.AlignedData; labels: string[]; time: boolean } {
  const time = isTemporal(columns[spec.x].type);
  const limited = rows.length > MAX_POINTS ? rows.slice(0, MAX_POINTS) : rows;
  let order = limited.map((_, i) => i);
  const xs: number[] = [];
  const labels: string[] = [];
  if (time) {
    const keys = limited.map((row) => parseTemporal(row[spec.x]));
    order = order.filter((i) => Number.isFinite(keys[i])).sort((a, b) => keys[a] - keys[b]);
    for (const i of order) xs.push(keys[i]);
  } else {
    order.forEach((i, position) => {
      xs.push(position);
      labels.push(cellText(limited[i][spec.x]));
    });
  }
  const series = spec.y.map((c) => order.map((i) => {
    const value = limited[i][c];
    return value === null || value === undefined ? null : Number(value);
  }));
  return { data: [xs, ...series] as uPlot.AlignedData, labels, time };
}

export function drawChart(target: HTMLElement, columns: Column[], rows: Row[], spec: ChartSpec): uPlot {
  const { data, labels, time } = chartData(columns, rows, spec);
  const width = Math.max(320, target.clientWidth - 16);
  const height = Math.max(220, target.clientHeight - 40);
  const bars = uPlot.paths.bars!({ size: [0.7, 80], align: 0 });
  const options: uPlot.Options = {
    width,
    height,
    title: `${spec.y.map((c) => columns[c].name).join(', ')} by ${columns[spec.x].name}`,
    scales: { x: { time, ...(time ? {} : { range: (_u, min, max) => [min - 0.6, max + 0.6] as uPlot.Range.MinMax }) } },
    axes: [
      time
        ? {}
        : {
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? truncate(labels[v] ?? '') : '')),
            splits: () => categorySplits(labels.length),
            rotate: labels.length > 8 ? -30 : 0,
            size: labels.length > 8 ? 70 : 40,
          } as uPlot.Axis,
      {
        // wide enough for the longest tick label
        size: (_u: uPlot, values: string[] | null) => Math.max(40, 12 + 7.5 * Math.max(0, ...(values ?? []).map((value) => String(value ?? '').length))),
      },
    ],
    series: [
      { label: columns[spec.x].name, value: (_u, v) => (v === null ? '' : time ? new Date(v * 1000).toISOString().replace('T', ' ').replace('.000Z', '') : labels[v] ?? '') },
      ...spec.y.map((c, k) => {
        const color = COLORS[k % COLORS.length];
        const series: uPlot.Series = { label: columns[c].name, stroke: color, width: 2 };
        if (spec.kind === 'bar') {
          series.paths = bars;
          series.fill = color + 'cc';
          series.points = { show: false };
        } else if (spec.kind === 'area') {
          series.fill = color + '40';
        }
        return series;
      }),
    ],
    legend: { show: true },
  };
  target.replaceChildren();
  const chart = new uPlot(options, data, target);
  const canvas = target.querySelector('canvas');
  if (canvas) {
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-label', `${spec.kind} chart of ${options.title} (${data[0].length} points)`);
  }
  return chart;
}

function categorySplits(count: number): number[] {
  const step = Math.max(1, Math.ceil(count / 30));
  const splits: number[] = [];
  for (let i = 0; i < count; i += step) splits.push(i);
  return splits;
}

function truncate(text: string): string {
  return text.length > 18 ? text.slice(0, 17) + '…' : text;
}
