// Payloads as bytes (Uint8Array), shown and entered as text, JSON, hex or base64.
import {h, replace, bytes as formatBytes} from './dom.js';

const strictUtf8 = new TextDecoder('utf-8', {fatal: true});
const encoder = new TextEncoder();

/** The payload as text when it is valid UTF-8, else null. */
export function utf8(b) {
  try {
    return strictUtf8.decode(b);
  } catch (e) {
    return null;
  }
}

/** Whether text reads as text: no control characters but tab, line feed and carriage return. */
function printable(text) {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text);
}

export function toBase64(b) {
  let s = '';
  for (let i = 0; i < b.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, b.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

export function fromBase64(text) {
  const clean = text.replace(/\s+/g, '');
  let s;
  try {
    s = atob(clean);
  } catch (e) {
    throw new Error('not valid base64');
  }
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    b[i] = s.charCodeAt(i);
  }
  return b;
}

/** "00 ff 10", in lower case, a space between bytes. */
export function toHex(b, max = b.length) {
  const n = Math.min(b.length, max);
  const parts = new Array(n);
  for (let i = 0; i < n; i++) {
    parts[i] = b[i].toString(16).padStart(2, '0');
  }
  return parts.join(' ');
}

/** Hex digits, with or without spaces, colons or a 0x prefix. */
export function fromHex(text) {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(clean) || clean.length % 2 !== 0) {
    throw new Error('not hex: expected pairs of hex digits (0-9, a-f)');
  }
  const b = new Uint8Array(clean.length / 2);
  for (let i = 0; i < b.length; i++) {
    b[i] = parseInt(clean.substr(i * 2, 2), 16);
  }
  return b;
}

/** A hex dump: offset, 16 bytes, and their printable ASCII. */
export function hexDump(b, max = b.length) {
  const n = Math.min(b.length, max);
  const lines = [];
  for (let off = 0; off < n; off += 16) {
    const row = b.subarray(off, Math.min(off + 16, n));
    const hex = toHex(row).padEnd(47, ' ');
    let ascii = '';
    for (const c of row) {
      ascii += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.';
    }
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex}  ${ascii}`);
  }
  return lines.join('\n');
}

export const FORMATS = [['text', 'Text'], ['json', 'JSON'], ['hex', 'Hex'], ['base64', 'Base64']];

/** The bytes of what the user typed in a format; throws Error saying what is wrong. */
export function encode(text, format) {
  switch (format) {
    case 'json':
      try {
        JSON.parse(text);
      } catch (e) {
        throw new Error(`not valid JSON: ${e.message}`);
      }
      return encoder.encode(text);
    case 'hex':
      return fromHex(text);
    case 'base64':
      return fromBase64(text);
    default:
      return encoder.encode(text);
  }
}

/** The format a payload is best shown in: JSON, text, or hex for binary. */
export function bestFormat(b, contentType) {
  const text = utf8(b);
  if (text === null || !printable(text)) {
    return 'hex';
  }
  if (text.length > 0 && (/json/i.test(contentType || '') || /^\s*[[{"]/.test(text))) {
    try {
      JSON.parse(text);
      return 'json';
    } catch (e) {
      // text that only looks like JSON
    }
  }
  return 'text';
}

/** The payload in a format, or an explanation of why it cannot be shown so. */
export function render(b, format, max = b.length) {
  const part = b.length > max ? b.subarray(0, max) : b;
  switch (format) {
    case 'json': {
      const text = utf8(b);
      if (text === null) {
        return {text: null, error: 'not UTF-8, so not JSON'};
      }
      try {
        const pretty = JSON.stringify(JSON.parse(text), null, 2);
        return {text: pretty.length > max ? pretty.slice(0, max) : pretty, cut: pretty.length > max};
      } catch (e) {
        return {text: null, error: `not valid JSON: ${e.message}`};
      }
    }
    case 'hex':
      return {text: hexDump(part), cut: b.length > max};
    case 'base64':
      return {text: toBase64(part), cut: b.length > max};
    default: {
      const text = utf8(part) ?? utf8(b)?.slice(0, max);
      if (text === null || text === undefined) {
        return {text: new TextDecoder('utf-8').decode(part), error: 'not valid UTF-8: invalid bytes shown as \uFFFD', cut: b.length > max};
      }
      return {text, cut: b.length > max};
    }
  }
}

/** One line of a payload for a list: text as it is, binary as hex, cut at max characters. */
export function preview(b, max = 160) {
  if (b.length === 0) {
    return {text: '(empty)', format: 'empty', cut: false};
  }
  const format = bestFormat(b);
  if (format === 'hex') {
    const shown = Math.min(b.length, Math.floor(max / 3));
    return {text: toHex(b, shown), format, cut: shown < b.length};
  }
  const text = utf8(b).replace(/\s+/g, ' ');
  return {text: text.length > max ? text.slice(0, max) : text, format, cut: text.length > max};
}

const VIEW_LIMIT = 64 * 1024;

/**
 * A payload viewer: tabs for text, JSON, hex and base64, the best one chosen first, the size, and
 * for a large payload the first 64 KiB until "Show all".
 */
export function viewer(b, {contentType, format} = {}) {
  let current = format || bestFormat(b, contentType);
  let limit = VIEW_LIMIT;
  const tabs = h('div', {class: 'tabs', role: 'tablist'});
  const body = h('pre', {class: 'payload', 'data-role': 'payload'});
  const note = h('div', {class: 'note'});
  const root = h('div', {class: 'viewer'}, h('div', {class: 'viewer-bar'}, tabs,
    h('span', {class: 'muted'}, `${formatBytes(b.length)}${b.length >= 1024 ? ` (${b.length.toLocaleString('en-US')} bytes)` : ''}`)),
  body, note);

  function draw() {
    replace(tabs, FORMATS.map(([value, label]) => h('button', {
      type: 'button', class: value === current ? 'tab on' : 'tab', 'data-format': value, role: 'tab',
      'aria-selected': String(value === current),
      onclick: () => {
        current = value;
        draw();
      },
    }, label)));
    root.dataset.format = current;
    if (b.length === 0) {
      body.textContent = '';
      replace(note, h('span', {class: 'muted'}, 'Empty payload.'));
      return;
    }
    const r = render(b, current, limit);
    body.textContent = r.text ?? '';
    body.classList.toggle('error', r.text === null);
    replace(note,
      r.error ? h('span', {class: 'warn'}, r.error) : null,
      r.cut ? [h('span', {class: 'muted'}, ` Showing the first ${formatBytes(limit)}. `),
        h('button', {type: 'button', class: 'link', onclick: () => {
          limit = Infinity;
          draw();
        }}, 'Show all')] : null);
  }
  draw();
  return root;
}

/**
 * A payload editor: a format selector and a text area. value() returns the bytes or throws an
 * Error saying what is wrong with the input.
 */
export function editor({rows = 6, placeholder = 'payload', role = 'payload'} = {}) {
  const area = h('textarea', {rows, placeholder, spellcheck: 'false', 'data-role': role});
  const format = h('select', {'data-role': `${role}-format`, title: 'how the payload is written'},
    FORMATS.map(([v, l]) => h('option', {value: v}, l)));
  const root = h('div', {class: 'editor'}, h('div', {class: 'editor-bar'}, h('span', null, 'Payload as'), format), area);
  return {
    root,
    area,
    format,
    value: () => encode(area.value, format.value),
  };
}
