// A small SVG line chart: series of [time (ms), value] over a fixed time window, a y axis from 0 to a
// round maximum, three grid lines, the latest value of each series in the legend.
import {h, number} from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const W = 480;
const H = 150;
const PAD = {left: 44, right: 8, top: 8, bottom: 18};

function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    el.setAttribute(k, String(v));
  }
  for (const c of children) {
    el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
  }
  return el;
}

/** The smallest of 1, 2, 5 times a power of ten at or above v (at least 1). */
export function roundUp(v) {
  if (!(v > 1)) {
    return 1;
  }
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  for (const m of [1, 2, 5, 10]) {
    if (m * p >= v) {
      return m * p;
    }
  }
  return 10 * p;
}

/** "-5 min", "-45 s". */
function ago(ms) {
  return ms >= 60000 ? `-${Math.round(ms / 60000)} min` : `-${Math.round(ms / 1000)} s`;
}

/**
 * A chart; update(series, now, windowMs) redraws it. series: [{name, color, points: [[t, v], ...]}].
 * windowMs: the time shown, ending now.
 */
export function lineChart(title, {unit = ''} = {}) {
  const legend = h('div', {class: 'legend'});
  const plot = svg('svg', {viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title});
  const root = h('figure', {class: 'chart'}, h('figcaption', null, h('span', null, title), legend), plot);

  function update(series, now, windowMs) {
    const max = roundUp(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p[1]))));
    const x = (t) => PAD.left + ((t - (now - windowMs)) / windowMs) * (W - PAD.left - PAD.right);
    const y = (v) => H - PAD.bottom - (v / max) * (H - PAD.top - PAD.bottom);
    plot.replaceChildren();
    for (let i = 0; i <= 2; i++) {
      const v = (max * i) / 2;
      plot.appendChild(svg('line', {x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: 'grid'}));
      plot.appendChild(svg('text', {x: PAD.left - 4, y: y(v) + 3, 'text-anchor': 'end', class: 'tick'}, number(v)));
    }
    plot.appendChild(svg('text', {x: PAD.left, y: H - 4, class: 'tick'}, ago(windowMs)));
    plot.appendChild(svg('text', {x: W - PAD.right, y: H - 4, 'text-anchor': 'end', class: 'tick'}, 'now'));
    legend.replaceChildren();
    for (const s of series) {
      const shown = s.points.filter((p) => p[0] >= now - windowMs);
      if (shown.length > 1) {
        const d = shown.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
        plot.appendChild(svg('path', {d, class: 'line', stroke: s.color}));
      }
      const last = s.points.length ? s.points[s.points.length - 1][1] : null;
      legend.appendChild(h('span', {class: 'key'}, h('i', {style: {background: s.color}}), `${s.name} `,
        h('b', {'data-series': s.name}, last === null ? '–' : number(last) + unit)));
    }
  }

  return {root, update};
}
