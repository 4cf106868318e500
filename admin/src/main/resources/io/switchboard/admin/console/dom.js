// Building DOM safely. Topics, client ids, payloads and property values come from MQTT clients, so
// they are attacker-controlled: every string here becomes a text node or an attribute value, never
// markup. Nothing in the console assigns innerHTML.

/**
 * h('tr', {class: 'x', onclick: fn, dataset: {id: 1}}, 'text', child, [more, children])
 * Strings and numbers become text nodes; null, undefined and false are skipped; arrays are flattened.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [key, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) {
        continue;
      }
      if (key.startsWith('on') && typeof value === 'function') {
        el.addEventListener(key.slice(2), value);
      } else if (key === 'style') {
        Object.assign(el.style, value); // through the CSSOM: a Content-Security-Policy without 'unsafe-inline' allows it
      } else if (key === 'dataset') {
        Object.assign(el.dataset, value);
      } else if (key === 'value' || key === 'checked' || key === 'disabled' || key === 'selected') {
        el[key] = value;
      } else {
        el.setAttribute(key, value === true ? '' : String(value));
      }
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    if (Array.isArray(c)) {
      append(el, c);
    } else if (c instanceof Node) {
      el.appendChild(c);
    } else {
      el.appendChild(document.createTextNode(String(c)));
    }
  }
}

/** Replaces the children of el. */
export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** A <select> of [value, label] pairs. */
export function select(attrs, options, selected) {
  return h('select', attrs, options.map(([value, label]) =>
    h('option', {value: String(value), selected: String(value) === String(selected)}, label)));
}

/** A labelled form field: the label's text, then the control. */
export function field(label, control, hint) {
  return h('label', {class: 'field'}, h('span', null, label), control, hint ? h('small', null, hint) : null);
}

/** A table of rows; columns are [heading, cell(row) -> string | Node]. */
export function table(columns, rows, attrs) {
  return h('table', attrs,
    h('thead', null, h('tr', null, columns.map(([heading]) => h('th', null, heading)))),
    h('tbody', null, rows.length === 0
      ? h('tr', {class: 'empty'}, h('td', {colspan: columns.length}, 'None.'))
      : rows.map((row) => h('tr', null, columns.map(([, cell]) => h('td', null, cell(row)))))));
}

/** A definition list of [term, value] pairs; null values are shown as a dash. */
export function dl(pairs, attrs) {
  return h('dl', attrs, pairs.map(([term, value]) => [h('dt', null, term),
    h('dd', null, value === null || value === undefined || value === '' ? '–' : value)]));
}

/** A Yes/No/– for booleans. */
export function yesNo(b) {
  return b === null || b === undefined ? '–' : b ? 'yes' : 'no';
}

/** A date-time from the API, in the browser's local time, to the second. */
export function dateTime(iso) {
  if (!iso) {
    return '–';
  }
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString(undefined, {hour12: false});
}

/** A time of day with milliseconds, for message logs. */
export function clock(date) {
  return date.toLocaleTimeString(undefined, {hour12: false}) + '.' + String(date.getMilliseconds()).padStart(3, '0');
}

/** 86400 -> "1d 0h", 3725 -> "1h 2m", 42 -> "42s". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) {
    return '–';
  }
  const s = Math.floor(seconds);
  if (s >= 86400) {
    return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
  }
  if (s >= 3600) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  if (s >= 60) {
    return `${Math.floor(s / 60)}m ${s % 60}s`;
  }
  return `${s}s`;
}

/** 1234567 -> "1,234,567"; rates with one decimal below 10. */
export function number(n) {
  if (n === null || n === undefined || Number.isNaN(n)) {
    return '–';
  }
  if (Math.abs(n) < 10 && !Number.isInteger(n)) {
    return n.toFixed(1);
  }
  return Math.round(n).toLocaleString('en-US');
}

/** 1536 -> "1.5 KiB". */
export function bytes(n) {
  if (n === null || n === undefined) {
    return '–';
  }
  if (n < 1024) {
    return `${n} B`;
  }
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** An MQTT reason code as "0x98". */
export function hexCode(code) {
  return '0x' + Number(code).toString(16).padStart(2, '0').toUpperCase();
}
