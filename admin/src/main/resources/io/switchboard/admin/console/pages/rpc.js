// The RPC panel: a request with a fresh Correlation Data and a Response Topic under this connection's
// private reply prefix (the CONNACK's Response Information, $reply/{client id}), then the reply that
// carries the same Correlation Data, its latency; or the broker's own answer (docs/rpc.md, "Broker
// help": user property rpc-status no-responders or expired, rpc-message saying why); or the timeout.
import {h, replace, field, select, dl, clock, number} from '../dom.js';
import {consoleMqtt, reason} from '../mqtt-connection.js';
import {editor, viewer, toHex, utf8} from '../payload.js';
import {userPropertyRows, toMqttJsUserProperties} from '../forms.js';
import {fromPacket, messageDetails, propertyList, inlineBytes} from './message-view.js';

const HISTORY_SIZE = 200;
/** The last level of the reply topic, under the reply prefix. */
const REPLY_LEVEL = 'console-rpc';

/** The calls of this tab, newest first: see send(). */
const calls = [];
const pending = new Map();
let replyTopic = null;
let replyState = 'none';
let replyError = null;
let strayReplies = 0;
let selectedId = null;
let nextId = 1;
let redraw = null;

const OUTCOMES = {
  waiting: ['waiting', 'badge'],
  ok: ['ok', 'badge ok'],
  reply: ['reply', 'badge ok'],
  error: ['responder error', 'badge bad'],
  'no-responders': ['no responder', 'badge bad'],
  expired: ['expired', 'badge warn'],
  timeout: ['timeout', 'badge warn'],
  failed: ['not sent', 'badge bad'],
  lost: ['connection lost', 'badge bad'],
};

consoleMqtt.addEventListener('connected', async () => {
  const prefix = consoleMqtt.responseInformation;
  if (!prefix) {
    replyTopic = null;
    replyState = 'failed';
    replyError = 'The broker gave no Response Information (mqtt.responseInformation is off): there is no private reply topic.';
    redraw?.();
    return;
  }
  replyTopic = `${prefix}/${REPLY_LEVEL}`;
  replyState = 'pending';
  redraw?.();
  try {
    await consoleMqtt.subscribe(replyTopic, {qos: 1});
    replyState = 'ready';
    replyError = null;
  } catch (e) {
    replyState = 'failed';
    replyError = `Subscribing the reply topic failed: ${e.message}`;
  }
  redraw?.();
});

consoleMqtt.addEventListener('state', () => {
  if (consoleMqtt.connected) {
    return;
  }
  replyState = 'none';
  // A reply to a call waiting now would come to a connection that is gone.
  for (const call of pending.values()) {
    finish(call, 'lost', 'The MQTT connection was lost while the call waited.');
  }
  redraw?.();
});

consoleMqtt.addEventListener('message', (e) => {
  const {topic, payload, packet, at} = e.detail;
  if (topic !== replyTopic) {
    return;
  }
  const now = performance.now();
  const cd = packet.properties?.correlationData;
  const key = cd ? toHex(new Uint8Array(cd)) : null;
  const call = key ? calls.find((c) => c.correlationHex === key) : null;
  if (!call || call.reply) {
    strayReplies++;
    redraw?.();
    return;
  }
  const reply = fromPacket(topic, payload, packet, at);
  call.reply = reply;
  const status = reply.props.userProperties.find(([n]) => n === 'rpc-status')?.[1];
  const message = reply.props.userProperties.find(([n]) => n === 'rpc-message')?.[1] ?? null;
  const code = reply.props.userProperties.find(([n]) => n === 'rpc-code')?.[1] ?? null;
  if (call.state === 'waiting') {
    call.latencyMs = now - call.sentAt;
  }
  const outcome = status === 'no-responders' || status === 'expired' || status === 'error' ? status : status === 'ok' ? 'ok' : 'reply';
  const text = outcome === 'no-responders' || outcome === 'expired' ? `The broker answered: ${message ?? status}`
    : outcome === 'error' ? `${code ?? 'error'}: ${message ?? ''}` : null;
  if (call.state === 'waiting') {
    finish(call, outcome, text);
  } else if (call.state === 'no-responders' && outcome === 'no-responders') {
    call.text = text; // the broker's reply after its PUBACK 0x10: its message says more
  }
  redraw?.();
});

function finish(call, state, text) {
  clearTimeout(call.timer);
  pending.delete(call.id);
  call.state = state;
  call.text = text;
  redraw?.();
}

/** Forgets the history (sign-out). */
export function reset() {
  calls.length = 0;
  pending.clear();
  selectedId = null;
  strayReplies = 0;
}

async function send({topic, payload, qos, timeoutSeconds, contentType, userProperties}) {
  const correlation = crypto.getRandomValues(new Uint8Array(16));
  const call = {
    id: nextId++, topic, payload, qos, timeoutSeconds, contentType, userProperties,
    correlation, correlationHex: toHex(correlation), responseTopic: replyTopic,
    startedAt: new Date(), sentAt: performance.now(), state: 'waiting', text: null, reply: null, latencyMs: null, ack: null,
  };
  calls.unshift(call);
  if (calls.length > HISTORY_SIZE) {
    calls.length = HISTORY_SIZE;
  }
  selectedId = call.id;
  pending.set(call.id, call);
  const properties = {
    responseTopic: replyTopic,
    correlationData: correlation,
    // The request lives as long as the caller waits: a responder's queue drops it after, and the
    // broker then answers "expired" ([MQTT-3.3.2-5], docs/rpc.md).
    messageExpiryInterval: timeoutSeconds,
  };
  if (contentType) {
    properties.contentType = contentType;
  }
  if (userProperties.length) {
    properties.userProperties = toMqttJsUserProperties(userProperties);
  }
  call.timer = setTimeout(() => {
    if (call.state === 'waiting') {
      finish(call, 'timeout', `No reply within ${timeoutSeconds} s.`);
    }
  }, timeoutSeconds * 1000);
  redraw?.();
  call.sentAt = performance.now();
  try {
    const code = await consoleMqtt.publish(topic, payload, {qos, properties});
    call.ack = qos > 0 ? code : null;
    if (code === 0x10 && call.state === 'waiting') {
      call.latencyMs = performance.now() - call.sentAt;
      finish(call, 'no-responders', `PUBACK ${reason(code)}: nobody is subscribed to the request topic.`);
    }
  } catch (e) {
    if (call.state === 'waiting') {
      finish(call, 'failed', e.message);
    }
  }
  redraw?.();
}

function latency(ms) {
  return ms === null || ms === undefined ? '–' : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function quote(s) {
  return /^[A-Za-z0-9_./:=+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The same call from a shell, when the payload is text. */
function commandLine(call) {
  const text = utf8(call.payload);
  if (text === null) {
    return null;
  }
  const parts = ['switchboard', 'rpc', 'call', quote(call.topic), quote(text), '--timeout', `${call.timeoutSeconds}s`, '-q', String(call.qos)];
  for (const [n, v] of call.userProperties) {
    parts.push('-u', quote(`${n}=${v}`));
  }
  if (call.contentType) {
    parts.push('--content-type', quote(call.contentType));
  }
  return parts.join(' ');
}

export function render(main) {
  const topic = h('input', {placeholder: 'request topic, e.g. devices/door-7/unlock', required: true, 'data-role': 'rpc-topic'});
  const qos = select({'data-role': 'rpc-qos'}, [[0, 'QoS 0'], [1, 'QoS 1']], 1);
  const timeout = h('input', {type: 'number', min: 1, max: 3600, value: '10', 'data-role': 'rpc-timeout'});
  const contentType = h('input', {placeholder: 'e.g. application/json', 'data-role': 'rpc-content-type'});
  const payload = editor({rows: 6, role: 'rpc-payload'});
  const userProps = userPropertyRows('rpc-user-properties');
  const error = h('p', {class: 'warn', 'data-role': 'rpc-error'});
  const replyInfo = h('p', {class: 'muted', 'data-role': 'reply-topic'});
  const sendButton = h('button', {type: 'submit', class: 'primary', 'data-role': 'rpc-send'}, 'Send request');
  const form = h('form', {'data-role': 'rpc-form'},
    field('Topic', topic),
    h('div', {class: 'form-grid spaced'}, field('QoS', qos), field('Timeout (s)', timeout),
      h('div', {class: 'wide'}, field('Content type', contentType))),
    h('div', {class: 'spaced'}, payload.root),
    h('fieldset', null, h('legend', null, 'User properties'), userProps.root),
    error, h('div', {class: 'row spaced'}, sendButton), replyInfo);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    error.textContent = '';
    const t = Number(timeout.value);
    if (!Number.isInteger(t) || t < 1 || t > 3600) {
      error.textContent = 'Timeout: whole seconds, 1 to 3600.';
      return;
    }
    let body;
    try {
      body = payload.value();
    } catch (err) {
      error.textContent = err.message;
      return;
    }
    if (replyState !== 'ready') {
      error.textContent = replyError || 'Not connected yet.';
      return;
    }
    send({topic: topic.value, payload: body, qos: Number(qos.value), timeoutSeconds: t, contentType: contentType.value,
      userProperties: userProps.value()});
  });

  const current = h('section', {class: 'card', 'data-role': 'rpc-call'});
  const history = h('section', {class: 'card', 'data-role': 'rpc-history'});

  function drawReplyInfo() {
    sendButton.disabled = replyState !== 'ready';
    replace(replyInfo,
      replyState === 'ready' ? ['Replies come to ', h('span', {class: 'mono'}, replyTopic), ', matched by Correlation Data.']
        : replyState === 'failed' ? h('span', {class: 'warn'}, replyError)
          : consoleMqtt.connected ? 'Subscribing the reply topic...' : 'Connecting...',
      strayReplies ? ` ${strayReplies} stray repl${strayReplies === 1 ? 'y' : 'ies'} (no call of ours, or a second reply) ignored.` : null);
  }

  function badge(call) {
    const [label, cls] = OUTCOMES[call.state];
    return h('span', {class: cls, 'data-role': 'outcome', 'data-outcome': call.state}, label);
  }

  function drawCurrent() {
    const call = calls.find((c) => c.id === selectedId);
    if (!call) {
      replace(current, h('h2', null, 'Call'), h('p', {class: 'muted'}, 'Send a request: its reply, or why there is none, shows here.'));
      return;
    }
    const cmd = commandLine(call);
    replace(current,
      h('div', {class: 'page-head'}, h('h2', null, 'Call ', h('span', {class: 'mono'}, call.topic)), badge(call),
        h('span', {'data-role': 'latency'}, latency(call.latencyMs))),
      call.text ? h('p', {class: call.state === 'ok' || call.state === 'reply' ? 'outcome-ok' : 'outcome-bad', 'data-role': 'outcome-text'}, call.text) : null,
      h('h3', null, 'Request'),
      dl([
        ['Sent', `${call.startedAt.toLocaleDateString()} ${clock(call.startedAt)}`],
        ['QoS', String(call.qos) + (call.ack !== null ? `, PUBACK ${reason(call.ack)}` : '')],
        ['Response topic', call.responseTopic],
        ['Correlation data', inlineBytes(call.correlation)],
        ['Message expiry', `${call.timeoutSeconds} s`],
        ...propertyList({contentType: call.contentType || null, userProperties: call.userProperties}),
      ], {class: 'kv'}),
      viewer(call.payload, {contentType: call.contentType}),
      cmd ? [h('h3', null, 'From a shell'), h('pre', {class: 'payload mono', 'data-role': 'command-line'}, cmd)] : null,
      h('h3', null, 'Reply'),
      call.reply ? h('div', {'data-role': 'reply'}, messageDetails(call.reply))
        : h('p', {class: 'muted'}, call.state === 'waiting' ? `Waiting, up to ${call.timeoutSeconds} s...` : 'None.'));
  }

  function drawHistory() {
    replace(history, h('h2', null, `History (${number(calls.length)})`),
      h('table', {class: 'grid'},
        h('thead', null, h('tr', null, ['Time', 'Topic', 'Outcome', 'Latency'].map((t) => h('th', null, t)))),
        h('tbody', null, calls.length === 0 ? h('tr', {class: 'empty'}, h('td', {colspan: 4}, 'No calls yet.'))
          : calls.map((c) => h('tr', {class: c.id === selectedId ? 'on' : null, 'data-call': String(c.id),
            onclick: () => {
              selectedId = c.id;
              draw();
            }},
          h('td', {class: 'mono'}, clock(c.startedAt)), h('td', {class: 'mono'}, c.topic), h('td', null, badge(c)),
          h('td', null, latency(c.latencyMs)))))));
  }

  function draw() {
    drawReplyInfo();
    drawCurrent();
    drawHistory();
  }

  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'RPC'),
      h('span', {class: 'muted'}, 'MQTT 5 request/response: a request, its reply matched by Correlation Data, and the broker\'s help when nobody serves.')),
    h('div', {class: 'workbench'},
      h('div', null, h('section', {class: 'card'}, h('h2', null, 'Request'), form)),
      h('div', null, current, history)));
  redraw = draw;
  draw();
  consoleMqtt.connect();
  return () => {
    redraw = null;
  };
}
