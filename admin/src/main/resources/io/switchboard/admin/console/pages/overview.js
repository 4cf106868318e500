// Overview: live charts from GET /api/v1/stats every 2 s (rates from the deltas of the totals), the
// counters now, and the broker (GET /api/v1/broker).
import {h, replace, dl, table, number, bytes, duration, dateTime} from '../dom.js';
import {get, ApiError} from '../api.js';
import {lineChart} from '../chart.js';

const POLL_MS = 2000;
/** The charts show the last 5 minutes, or since the console opened when that is shorter (at least 30 s). */
const WINDOW_MS = 5 * 60 * 1000;
const MIN_WINDOW_MS = 30 * 1000;

/** Samples kept while the console is open, so that the charts have a history when the page is shown again. */
const samples = [];
let timer = null;
let lastError = null;
const listeners = new Set();

async function poll() {
  try {
    const s = await get('/api/v1/stats');
    const t = s.time ? Date.parse(s.time) : Date.now();
    samples.push({t: Number.isNaN(t) ? Date.now() : t, s});
    while (samples.length > 2 && samples[0].t < samples[samples.length - 1].t - WINDOW_MS - POLL_MS) {
      samples.shift();
    }
    lastError = null;
  } catch (e) {
    lastError = e instanceof ApiError ? e.describe() : String(e);
  }
  listeners.forEach((fn) => fn());
}

/** Starts polling (once). */
export function startStats() {
  if (timer === null) {
    poll();
    timer = setInterval(poll, POLL_MS);
  }
}

/** Stops polling and forgets the samples (sign-out). */
export function stopStats() {
  clearInterval(timer);
  timer = null;
  samples.length = 0;
}

/**
 * Per-second rates of a counter between samples at least a second apart (two answers that came close
 * together, after a slow one, would make a spike of nothing); a counter that went down (a restart)
 * gives no point.
 */
function rate(pick) {
  const points = [];
  let prev = samples[0];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].t - prev.t) / 1000;
    if (dt < 1) {
      continue;
    }
    const dv = pick(samples[i].s) - pick(prev.s);
    if (dv >= 0) {
      points.push([samples[i].t, dv / dt]);
    }
    prev = samples[i];
  }
  return points;
}

const level = (pick) => samples.map((x) => [x.t, pick(x.s) ?? 0]);

export function render(main) {
  const connections = lineChart('Connections');
  const messages = lineChart('Messages per second');
  const drops = lineChart('Dropped per second');
  let broker = null;
  const uptime = h('span', {'data-role': 'uptime'});
  const counters = h('div', {class: 'tiles', 'data-role': 'counters'});
  const status = h('div', {class: 'status-line', 'data-role': 'stats-status'});
  const brokerBox = h('section', {class: 'card'}, h('h2', null, 'Broker'), h('p', {class: 'muted'}, 'Loading...'));

  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Overview'), status),
    h('div', {class: 'charts'}, connections.root, messages.root, drops.root),
    counters,
    brokerBox);

  function draw() {
    const now = samples.length ? samples[samples.length - 1].t : Date.now();
    const span = samples.length ? now - samples[0].t : 0;
    const windowMs = Math.min(WINDOW_MS, Math.max(MIN_WINDOW_MS, span));
    connections.update([{name: 'connected', color: '#1f6feb', points: level((s) => s.connections?.current)}], now, windowMs);
    messages.update([
      {name: 'in', color: '#1a7f37', points: rate((s) => s.messages?.received ?? 0)},
      {name: 'out', color: '#8250df', points: rate((s) => s.messages?.sent ?? 0)},
    ], now, windowMs);
    drops.update([{name: 'dropped', color: '#cf222e', points: rate((s) => s.messages?.dropped ?? 0)}], now, windowMs);
    if (broker?.startedAt) {
      uptime.textContent = duration((now - Date.parse(broker.startedAt)) / 1000);
    }
    const s = samples.length ? samples[samples.length - 1].s : null;
    status.dataset.samples = String(samples.length);
    replace(status, lastError ? h('span', {class: 'warn'}, `Statistics: ${lastError}`)
      : s ? h('span', {class: 'muted'}, `Updated ${dateTime(s.time)}, every 2 s`) : null);
    if (!s) {
      return;
    }
    const tile = (label, value, sub) => h('div', {class: 'tile'}, h('span', null, label),
      h('b', {'data-tile': label}, value), sub ? h('small', null, sub) : null);
    replace(counters,
      tile('Connections', number(s.connections?.current), `max ${number(s.connections?.maximum)}, opened ${number(s.connections?.opened)}, refused ${number(s.connections?.refused)}`),
      tile('Sessions', number((s.sessions?.online ?? 0) + (s.sessions?.offline ?? 0)), `${number(s.sessions?.online)} online, ${number(s.sessions?.offline)} offline`),
      tile('Subscriptions', number(s.subscriptions)),
      tile('Retained', number(s.retained)),
      tile('Messages', number(s.messages?.received), `in; ${number(s.messages?.sent)} out, ${number(s.messages?.dropped)} dropped`),
      tile('Queued', number(s.messages?.queued), s.messages?.inflight === undefined ? 'waiting to be sent'
        : `${number(s.messages.inflight)} in flight`),
      tile('Bytes', bytes(s.bytes?.received), `in; ${bytes(s.bytes?.sent)} out`),
      tile('Denials', number(s.denials), 'authorization'));
  }

  listeners.add(draw);
  startStats();
  draw();

  get('/api/v1/broker').then((b) => {
    broker = b;
    uptime.textContent = duration(b.uptimeSeconds);
    replace(brokerBox, h('h2', null, 'Broker'),
      dl([
        ['Version', b.version],
        ['Started', dateTime(b.startedAt)],
        ['Uptime', uptime],
        ['Java', b.java],
        ['Storage', b.storage],
        ['Security policy', b.securityPolicy ?? 'none (every client may do everything)'],
      ], {'data-role': 'broker'}),
      h('h3', null, 'Listeners'),
      table([
        ['Name', (l) => l.name],
        ['Type', (l) => l.type],
        ['Address', (l) => `${l.host}:${l.port}`],
        ['WebSocket path', (l) => l.path ?? '–'],
      ], b.listeners || [], {class: 'grid'}));
  }).catch((e) => replace(brokerBox, h('h2', null, 'Broker'),
    h('p', {class: 'warn'}, e instanceof ApiError ? e.describe() : String(e))));

  return () => listeners.delete(draw);
}
