// A line chart as hand-written SVG, both axes on a log scale: latency against corpus size
// spans orders of magnitude on both. No dependency, so the chart renders on GitHub as is.

export interface Series {
  label: string;
  color: string;
  dashed: boolean;
  /** [x, y] points, both positive. */
  points: Array<[number, number]>;
}

/** A horizontal reference line, e.g. a latency target, labelled outside the plot where no line runs. */
export interface Guide {
  label: string;
  y: number;
}

const WIDTH = 800;
const HEIGHT = 440;
const MARGIN = { left: 70, right: 200, top: 40, bottom: 55 };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A log axis from the decade below `min` to just past `max`, and its ticks at powers of ten. */
function logAxis(min: number, max: number): { lo: number; hi: number; ticks: number[] } {
  const lo = 10 ** Math.floor(Math.log10(min));
  // The next power of ten can be almost ten times the data: stop at twice it instead.
  const hi = Math.min(10 ** Math.ceil(Math.log10(max)), 2 * max);
  const ticks: number[] = [];
  for (let t = lo; t <= hi * 1.0001; t *= 10) ticks.push(Number(t.toPrecision(1)));
  return { lo, hi, ticks };
}

function tickLabel(v: number): string {
  return v >= 1000 ? v.toLocaleString('en-US') : String(v);
}

export function lineChart({ title, xLabel, yLabel, series, guides }: { title: string; xLabel: string; yLabel: string; series: Series[]; guides: Guide[] }): string {
  const xs = series.flatMap((s) => s.points.map(([x]) => x));
  const ys = [...series.flatMap((s) => s.points.map(([, y]) => y)), ...guides.map((g) => g.y)];
  const xAxis = logAxis(Math.min(...xs), Math.max(...xs));
  const yAxis = logAxis(Math.min(...ys), Math.max(...ys));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const scale = (v: number, { lo, hi }: { lo: number; hi: number }, length: number) => (length * Math.log10(v / lo)) / Math.log10(hi / lo);
  const px = (x: number) => (MARGIN.left + scale(x, xAxis, plotW)).toFixed(1);
  const py = (y: number) => (MARGIN.top + plotH - scale(y, yAxis, plotH)).toFixed(1);
  const right = MARGIN.left + plotW;
  const bottom = MARGIN.top + plotH;

  const grid = [
    ...xAxis.ticks.map((t) => `<line x1="${px(t)}" y1="${MARGIN.top}" x2="${px(t)}" y2="${bottom}" class="grid"/><text x="${px(t)}" y="${bottom + 18}" text-anchor="middle">${tickLabel(t)}</text>`),
    ...yAxis.ticks.map((t) => `<line x1="${MARGIN.left}" y1="${py(t)}" x2="${right}" y2="${py(t)}" class="grid"/><text x="${MARGIN.left - 8}" y="${py(t)}" text-anchor="end" dominant-baseline="middle">${tickLabel(t)}</text>`),
  ];
  const guideLines = guides.map(
    (g) => `<line x1="${MARGIN.left}" y1="${py(g.y)}" x2="${right}" y2="${py(g.y)}" class="guide"/><text x="${right + 8}" y="${py(g.y)}" dominant-baseline="middle" class="guide-label">${escape(g.label)}</text>`,
  );
  const lines = series.map((s) => {
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    const path = s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(' ');
    const dots = s.points.map(([x, y]) => `<circle cx="${px(x)}" cy="${py(y)}" r="3.5" fill="${s.color}"/>`).join('');
    return `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${dash}/>${dots}`;
  });
  const legend = series.map((s, i) => {
    const y = MARGIN.top + 10 + i * 22;
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    return `<line x1="${right + 16}" y1="${y}" x2="${right + 46}" y2="${y}" stroke="${s.color}" stroke-width="2"${dash}/><text x="${right + 54}" y="${y}" dominant-baseline="middle">${escape(s.label)}</text>`;
  });

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    '<style>.grid{stroke:#e3e3e3}.guide{stroke:#999;stroke-dasharray:2 3}.guide-label{fill:#777;font-size:11px}text{fill:#333}</style>',
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="15" font-weight="600">${escape(title)}</text>`,
    ...grid,
    `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    ...guideLines,
    ...lines,
    ...legend,
    `<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escape(xLabel)}</text>`,
    `<text transform="translate(18 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
