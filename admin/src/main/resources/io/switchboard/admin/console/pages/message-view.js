// A received MQTT message as the test client and the RPC panel show it: a compact entry for a log
// (topic, flags, every property present, a payload preview) that opens to the full payload viewer.
import {h, replace, dl, clock, bytes, duration} from '../dom.js';
import {viewer, preview, utf8, toHex} from '../payload.js';

/** A message from MQTT.js's (topic, payload, packet) in the console's terms. */
export function fromPacket(topic, payload, packet, at) {
  const p = packet.properties || {};
  const userProperties = [];
  for (const [name, value] of Object.entries(p.userProperties || {})) {
    for (const v of Array.isArray(value) ? value : [value]) {
      userProperties.push([name, String(v)]);
    }
  }
  const ids = p.subscriptionIdentifier;
  return {
    at: at || new Date(),
    topic,
    payload: new Uint8Array(payload), // a copy: MQTT.js's buffer may be a view on one it reuses
    qos: packet.qos ?? 0,
    retain: !!packet.retain,
    dup: !!packet.dup,
    props: {
      payloadFormatIndicator: p.payloadFormatIndicator === undefined ? null : Number(p.payloadFormatIndicator),
      contentType: p.contentType ?? null,
      responseTopic: p.responseTopic ?? null,
      correlationData: p.correlationData ? new Uint8Array(p.correlationData) : null,
      messageExpiryInterval: p.messageExpiryInterval ?? null,
      subscriptionIdentifiers: ids === undefined ? [] : Array.isArray(ids) ? ids : [ids],
      userProperties,
    },
  };
}

/** Correlation data (or any short binary) in one line: as text when it reads as text, else hex. */
export function inlineBytes(b) {
  const t = utf8(b);
  // eslint-disable-next-line no-control-regex
  return t !== null && !/[\u0000-\u001F\u007F]/.test(t) ? `"${t}"` : `0x${toHex(b).replace(/ /g, '')}`;
}

/** The MQTT 5 properties present, as [term, value] pairs, user properties one per row. */
export function propertyList(p) {
  const pairs = [];
  if (p.payloadFormatIndicator !== null && p.payloadFormatIndicator !== undefined) {
    pairs.push(['Payload format', p.payloadFormatIndicator === 1 ? '1 (UTF-8 text)' : '0 (bytes)']);
  }
  if (p.contentType !== null && p.contentType !== undefined) {
    pairs.push(['Content type', p.contentType]);
  }
  if (p.responseTopic) {
    pairs.push(['Response topic', p.responseTopic]);
  }
  if (p.correlationData) {
    pairs.push(['Correlation data', inlineBytes(p.correlationData)]);
  }
  if (p.messageExpiryInterval !== null && p.messageExpiryInterval !== undefined) {
    const s = p.messageExpiryInterval;
    pairs.push(['Message expiry', s >= 60 ? `${s} s (${duration(s)})` : `${s} s`]);
  }
  if (p.subscriptionIdentifiers?.length) {
    pairs.push(['Subscription ids', p.subscriptionIdentifiers.join(', ')]);
  }
  for (const [name, value] of p.userProperties || []) {
    pairs.push([h('span', null, 'User property ', h('b', {class: 'mono'}, name)), value]);
  }
  return pairs;
}

/** The properties as one wrapped line of name=value chips, for a log entry. */
function propertyLine(m) {
  const chip = (label, value, role) => h('span', {'data-role': role || null}, h('em', {class: 'muted'}, `${label} `), value);
  const p = m.props;
  return h('div', {class: 'props'},
    p.userProperties.map(([name, value]) => h('span', {'data-role': 'user-property', 'data-name': name},
      h('b', null, name), '=', value)),
    p.contentType !== null ? chip('content-type', p.contentType) : null,
    p.payloadFormatIndicator !== null ? chip('format', String(p.payloadFormatIndicator)) : null,
    p.responseTopic ? chip('response-topic', p.responseTopic, 'response-topic') : null,
    p.correlationData ? chip('correlation', inlineBytes(p.correlationData), 'correlation-data') : null,
    p.messageExpiryInterval !== null ? chip('expiry', `${p.messageExpiryInterval}s`) : null);
}

/** Badges for QoS, retain, dup and subscription identifiers. */
export function flags(m) {
  return [
    h('span', {class: 'badge', 'data-role': 'qos'}, `QoS ${m.qos}`),
    m.retain ? h('span', {class: 'badge warn', 'data-role': 'retain'}, 'retained') : null,
    m.dup ? h('span', {class: 'badge'}, 'dup') : null,
    m.props.subscriptionIdentifiers.length
      ? h('span', {class: 'badge', 'data-role': 'subscription-ids'}, `sub id ${m.props.subscriptionIdentifiers.join(',')}`) : null,
  ];
}

/** The full view of a message: topic, flags, every property, the payload viewer. */
export function messageDetails(m) {
  return h('div', {class: 'details'},
    dl([['Topic', m.topic], ['QoS', String(m.qos)], ['Retain', m.retain ? 'yes' : 'no'], ...propertyList(m.props)], {class: 'kv'}),
    viewer(m.payload, {contentType: m.props.contentType}));
}

/** One entry of a message log: the head and preview; a click on the head shows or hides the details. */
export function logEntry(m) {
  const pv = preview(m.payload);
  const details = h('div');
  let open = false;
  const toggle = () => {
    open = !open;
    li.classList.toggle('open', open);
    replace(details, open ? messageDetails(m) : null);
  };
  const li = h('li', {'data-role': 'message', 'data-topic': m.topic},
    h('div', {class: 'head', onclick: toggle, title: 'show or hide the details'},
      h('span', {class: 'time'}, clock(m.at)), h('span', {class: 'topic'}, m.topic), flags(m),
      h('span', {class: 'muted'}, bytes(m.payload.length))),
    propertyLine(m),
    h('div', {class: 'preview', 'data-role': 'preview', 'data-format': pv.format}, pv.text,
      pv.cut ? [' … ', h('button', {type: 'button', class: 'link', 'data-role': 'show-all', onclick: () => open || toggle()},
        `show all ${bytes(m.payload.length)}`)] : null),
    details);
  return li;
}
