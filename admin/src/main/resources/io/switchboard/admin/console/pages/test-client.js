// The MQTT test client: the console's own MQTT 5 connection (mqtt-connection.js), subscriptions with
// every option and a message log each, and publishing with every MQTT 5 property.
import {h, replace, field, select, clock, number} from '../dom.js';
import {consoleMqtt, reason} from '../mqtt-connection.js';
import {editor, encode, FORMATS} from '../payload.js';
import {userPropertyRows, toMqttJsUserProperties, seconds} from '../forms.js';
import {fromPacket, logEntry} from './message-view.js';

/** Messages kept per subscription, newest first. */
export const LOG_SIZE = 500;
const MAX_SUBSCRIPTION_ID = 268435455;

/**
 * The subscriptions of this tab: {key, filter, qos, nl, rap, rh, id, state ('pending', 'active',
 * 'failed'), error, granted, messages}. They live as long as the tab (or the sign-in), across pages and
 * reconnections: each new connection subscribes them again.
 */
const subs = [];
let selectedKey = null;
let nextKey = 1;
/** Called with (sub, message) while the page is shown. */
let onLogged = null;
let onChanged = null;

/** Whether a topic name matches a filter (shared subscriptions by their topic filter). [MQTT-4.7.1], [MQTT-4.7.2-1] */
export function matches(filter, topic) {
  let f = filter;
  if (f.startsWith('$share/')) {
    f = f.split('/').slice(2).join('/');
  }
  const fl = f.split('/');
  const tl = topic.split('/');
  if (topic.startsWith('$') && (fl[0] === '+' || fl[0] === '#')) {
    return false;
  }
  for (let i = 0; i < fl.length; i++) {
    if (fl[i] === '#') {
      return true;
    }
    if (i >= tl.length || (fl[i] !== '+' && fl[i] !== tl[i])) {
      return false;
    }
  }
  return fl.length === tl.length;
}

function subscribeOptions(s) {
  const o = {qos: s.qos, nl: s.nl, rap: s.rap, rh: s.rh};
  if (s.id !== null) {
    o.properties = {subscriptionIdentifier: s.id};
  }
  return o;
}

async function subscribe(s) {
  s.state = 'pending';
  s.error = null;
  onChanged?.();
  try {
    s.granted = await consoleMqtt.subscribe(s.filter, subscribeOptions(s));
    s.state = 'active';
  } catch (e) {
    s.state = 'failed';
    s.error = e.message;
  }
  onChanged?.();
}

consoleMqtt.addEventListener('connected', () => subs.forEach(subscribe));
consoleMqtt.addEventListener('state', () => {
  if (!consoleMqtt.connected) {
    subs.forEach((s) => {
      if (s.state === 'active') {
        s.state = 'pending';
      }
    });
  }
});
consoleMqtt.addEventListener('message', (e) => {
  const {topic, payload, packet, at} = e.detail;
  let m = null;
  for (const s of subs) {
    if (matches(s.filter, topic)) {
      m ||= fromPacket(topic, payload, packet, at);
      s.messages.unshift(m);
      if (s.messages.length > LOG_SIZE) {
        s.messages.length = LOG_SIZE;
      }
      s.unseen = s.key === selectedKey ? 0 : (s.unseen || 0) + 1;
      onLogged?.(s, m);
    }
  }
});

/** Forgets everything (sign-out). */
export function reset() {
  subs.length = 0;
  selectedKey = null;
}

export function render(main) {
  // Messages are drawn once per animation frame, however many came meanwhile: a busy topic costs
  // one DOM update a frame, not one a message. `shown`: those of the log shown, not drawn yet.
  let shown = [];
  let frame = 0;
  const connBox = h('section', {class: 'card', 'data-role': 'connection'});
  const subList = h('ul', {class: 'subs', 'data-role': 'subscriptions'});
  const logHead = h('div', {class: 'page-head'});
  const log = h('ul', {class: 'log', 'data-role': 'log'});

  function drawConnection() {
    const c = consoleMqtt;
    const labels = {idle: 'Not connected', connecting: 'Connecting...', connected: 'Connected', waiting: 'Reconnecting',
      failed: 'Cannot connect'};
    replace(connBox, h('h2', null, 'Connection'),
      h('div', {class: 'conn'},
        h('span', {'data-role': 'mqtt-state', 'data-state': c.state},
          h('i', {class: c.connected ? 'dot on' : 'dot'}), labels[c.state]),
        c.credential && c.state !== 'idle' ? h('span', {class: 'mono', 'data-role': 'mqtt-client-id'}, c.credential.clientId) : null,
        c.state === 'idle' || c.state === 'failed'
          ? h('button', {type: 'button', class: 'primary', 'data-role': 'connect', onclick: () => c.connect()}, 'Connect')
          : h('button', {type: 'button', 'data-role': 'disconnect', onclick: () => c.disconnect()}, 'Disconnect'),
        c.connected && c.credential ? h('span', {class: 'muted'}, c.credential.url) : null,
        h('ul', {class: 'events', 'data-role': 'mqtt-events'}, c.events.slice(0, 6).map((e) =>
          h('li', null, `${clock(e.at)} ${e.text}`)))));
  }

  function drawSubs() {
    replace(subList, subs.map((s) => h('li', {
      class: s.key === selectedKey ? 'on' : null, 'data-filter': s.filter, 'data-state': s.state,
      onclick: () => selectSub(s.key),
    },
    h('span', {class: 'filter'}, s.filter),
    h('span', {class: 'badge'}, `QoS ${s.qos}`),
    s.nl ? h('span', {class: 'badge', title: 'No Local'}, 'NL') : null,
    s.rap ? h('span', {class: 'badge', title: 'Retain As Published'}, 'RAP') : null,
    s.rh ? h('span', {class: 'badge', title: 'Retain Handling'}, `RH ${s.rh}`) : null,
    s.id !== null ? h('span', {class: 'badge', title: 'Subscription Identifier'}, `id ${s.id}`) : null,
    s.state === 'failed' ? h('span', {class: 'badge bad', title: s.error}, 'refused')
      : s.state === 'pending' ? h('span', {class: 'badge warn'}, 'pending')
        : s.granted !== s.qos ? h('span', {class: 'badge warn', title: 'granted QoS'}, `granted ${s.granted}`) : null,
    h('span', {class: 'count', 'data-role': 'count'}, s.unseen ? `${number(s.unseen)} new` : `${number(s.messages.length)}`),
    h('button', {type: 'button', class: 'small', title: 'unsubscribe', 'data-role': 'unsubscribe', onclick: (e) => {
      e.stopPropagation();
      unsubscribe(s);
    }}, '×'))));
  }

  function drawLog() {
    shown = [];
    const s = subs.find((x) => x.key === selectedKey);
    if (!s) {
      replace(logHead, h('h2', null, 'Messages'));
      replace(log, h('li', {class: 'muted'}, subs.length ? 'Choose a subscription.' : 'Subscribe to a topic filter to see its messages here.'));
      return;
    }
    replace(logHead, h('h2', null, 'Messages of ', h('span', {class: 'mono', 'data-role': 'log-filter'}, s.filter)),
      s.error ? h('span', {class: 'warn'}, s.error) : null,
      h('span', {class: 'muted', title: `the last ${LOG_SIZE} messages are kept`}, 'newest first'),
      h('span', {class: 'actions'}, h('button', {type: 'button', 'data-role': 'clear-log', onclick: () => {
        s.messages.length = 0;
        drawLog();
        drawSubs();
      }}, 'Clear')));
    replace(log, s.messages.map(logEntry));
  }

  function selectSub(key) {
    selectedKey = key;
    const s = subs.find((x) => x.key === key);
    if (s) {
      s.unseen = 0;
    }
    drawSubs();
    drawLog();
  }

  async function unsubscribe(s) {
    subs.splice(subs.indexOf(s), 1);
    if (selectedKey === s.key) {
      selectedKey = subs.length ? subs[0].key : null;
    }
    drawSubs();
    drawLog();
    if (!subs.some((x) => x.filter === s.filter)) {
      await consoleMqtt.unsubscribe(s.filter);
    }
  }

  // Subscribe form
  const filter = h('input', {placeholder: 'topic filter, e.g. devices/+/state or #', required: true, 'data-role': 'sub-filter'});
  const qos = select({'data-role': 'sub-qos'}, [[0, 'QoS 0'], [1, 'QoS 1'], [2, 'QoS 2']], 1);
  const nl = h('input', {type: 'checkbox', 'data-role': 'sub-nl'});
  const rap = h('input', {type: 'checkbox', 'data-role': 'sub-rap'});
  const rh = select({'data-role': 'sub-rh'}, [[0, '0: send retained'], [1, '1: only if new'], [2, '2: never']], 0);
  const subId = h('input', {type: 'number', min: 1, max: MAX_SUBSCRIPTION_ID, placeholder: 'none', 'data-role': 'sub-id'});
  const subError = h('p', {class: 'warn'});
  const subForm = h('form', {'data-role': 'subscribe-form'},
    h('div', {class: 'form-grid'},
      h('div', {class: 'wide'}, field('Topic filter', filter)),
      field('QoS', qos), field('Retain Handling', rh),
      h('label', {class: 'check', title: 'do not receive what this connection publishes'}, nl, 'No Local'),
      h('label', {class: 'check', title: 'keep the RETAIN flag as published'}, rap, 'Retain As Published'),
      field('Subscription Identifier', subId)),
    subError,
    h('button', {type: 'submit', class: 'primary', 'data-role': 'subscribe'}, 'Subscribe'));
  subForm.addEventListener('submit', (e) => {
    e.preventDefault();
    subError.textContent = '';
    const id = subId.value.trim() === '' ? null : Number(subId.value);
    if (id !== null && (!Number.isInteger(id) || id < 1 || id > MAX_SUBSCRIPTION_ID)) {
      subError.textContent = `Subscription Identifier: 1 to ${MAX_SUBSCRIPTION_ID}, or empty.`;
      return;
    }
    if (!filter.value) {
      return;
    }
    if (!consoleMqtt.connected) {
      subError.textContent = 'Connect first.';
      return;
    }
    const options = {qos: Number(qos.value), nl: nl.checked, rap: rap.checked, rh: Number(rh.value), id};
    // Subscribing a filter again replaces its options ([MQTT-3.8.4-3]): the same entry, its log kept.
    let s = subs.find((x) => x.filter === filter.value);
    if (s) {
      Object.assign(s, options);
    } else {
      s = {key: nextKey++, filter: filter.value, ...options, state: 'pending', error: null, granted: null, messages: [],
        unseen: 0};
      subs.push(s);
    }
    selectSub(s.key);
    subscribe(s);
  });

  // Publish form
  const pTopic = h('input', {placeholder: 'topic name', required: true, 'data-role': 'pub-topic'});
  const pQos = select({'data-role': 'pub-qos'}, [[0, 'QoS 0'], [1, 'QoS 1'], [2, 'QoS 2']], 0);
  const pRetain = h('input', {type: 'checkbox', 'data-role': 'pub-retain'});
  const payload = editor({rows: 5, role: 'pub-payload'});
  const contentType = h('input', {placeholder: 'e.g. application/json', 'data-role': 'pub-content-type'});
  const pfi = select({'data-role': 'pub-pfi'}, [['', 'not set'], ['0', '0: bytes'], ['1', '1: UTF-8 text']], '');
  const responseTopic = h('input', {'data-role': 'pub-response-topic'});
  const correlation = h('input', {'data-role': 'pub-correlation'});
  const correlationFormat = select({'data-role': 'pub-correlation-format'}, FORMATS.filter(([f]) => f !== 'json'), 'text');
  const expiry = h('input', {type: 'number', min: 0, placeholder: 'none', 'data-role': 'pub-expiry'});
  const userProps = userPropertyRows('pub-user-properties');
  const pubResult = h('p', {'data-role': 'publish-result'});
  const pubForm = h('form', {'data-role': 'publish-form'},
    h('div', {class: 'row'}, h('div', {class: 'grow'}, field('Topic', pTopic)), field('QoS', pQos),
      h('label', {class: 'check'}, pRetain, 'Retain')),
    h('div', {class: 'spaced'}, payload.root),
    h('fieldset', null, h('legend', null, 'Properties'),
      h('div', {class: 'form-grid'},
        field('Content type', contentType), field('Payload format indicator', pfi),
        field('Response topic', responseTopic), field('Message expiry interval (s)', expiry),
        h('div', {class: 'wide row'}, h('div', {class: 'grow'}, field('Correlation data', correlation)), field('as', correlationFormat)),
        h('div', {class: 'wide'}, field('User properties', userProps.root)))),
    h('div', {class: 'row spaced'},
      h('button', {type: 'submit', class: 'primary', 'data-role': 'publish'}, 'Publish'), pubResult));
  pubForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    pubResult.className = '';
    let body;
    const properties = {};
    try {
      body = payload.value();
      if (contentType.value) {
        properties.contentType = contentType.value;
      }
      if (pfi.value !== '') {
        properties.payloadFormatIndicator = pfi.value === '1';
      }
      if (responseTopic.value) {
        properties.responseTopic = responseTopic.value;
      }
      if (correlation.value) {
        properties.correlationData = encode(correlation.value, correlationFormat.value);
      }
      const mei = seconds(expiry, 'Message expiry interval');
      if (mei !== null) {
        properties.messageExpiryInterval = mei;
      }
      const ups = userProps.value();
      if (ups.length) {
        properties.userProperties = toMqttJsUserProperties(ups);
      }
    } catch (err) {
      pubResult.className = 'warn';
      pubResult.textContent = err.message;
      return;
    }
    const q = Number(pQos.value);
    try {
      const code = await consoleMqtt.publish(pTopic.value, body, {qos: q, retain: pRetain.checked, properties});
      pubResult.className = 'outcome-ok';
      pubResult.textContent = q === 0 ? `Sent (QoS 0) at ${clock(new Date())}`
        : `${q === 1 ? 'PUBACK' : 'PUBREC'} ${reason(code)} at ${clock(new Date())}`;
    } catch (err) {
      pubResult.className = 'warn';
      pubResult.textContent = err.message;
    }
  });

  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'MQTT test client'),
      h('span', {class: 'muted'}, 'MQTT 5 over the broker\'s WebSocket, with a short-lived credential that has your MQTT rights.')),
    h('div', {class: 'workbench three'},
      h('div', null, connBox,
        h('section', {class: 'card'}, h('h2', null, 'Subscribe'), subForm, subList)),
      h('section', {class: 'card log-card'}, logHead, log),
      h('section', {class: 'card publish-card'}, h('h2', null, 'Publish'), pubForm)));

  const flush = () => {
    frame = 0;
    if (shown.length) {
      if (log.firstChild && log.firstChild.classList.contains('muted')) {
        log.replaceChildren();
      }
      const batch = shown.slice(-LOG_SIZE).reverse();
      shown = [];
      log.prepend(...batch.map(logEntry));
      while (log.children.length > LOG_SIZE) {
        log.lastChild.remove();
      }
    }
    drawSubs();
  };
  onLogged = (s, m) => {
    if (s.key === selectedKey) {
      shown.push(m);
    }
    frame ||= requestAnimationFrame(flush);
  };
  onChanged = () => {
    drawSubs();
    if (subs.find((x) => x.key === selectedKey)?.error) {
      drawLog();
    }
  };
  const stateListener = () => {
    drawConnection();
    drawSubs();
  };
  consoleMqtt.addEventListener('state', stateListener);
  drawConnection();
  drawSubs();
  drawLog();
  consoleMqtt.connect();

  return () => {
    cancelAnimationFrame(frame);
    onLogged = null;
    onChanged = null;
    consoleMqtt.removeEventListener('state', stateListener);
  };
}
