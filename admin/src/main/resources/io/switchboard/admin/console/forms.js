// Form parts the test client and the RPC panel share.
import {h} from './dom.js';

/** Rows of user property name/value inputs; value() gives [[name, value]...] without empty rows. */
export function userPropertyRows(role = 'user-properties') {
  const list = h('div', {class: 'uprops', 'data-role': role});
  const add = (name = '', value = '') => {
    const n = h('input', {placeholder: 'name', value: name, 'data-role': 'up-name'});
    const v = h('input', {placeholder: 'value', value, 'data-role': 'up-value'});
    const row = h('div', {class: 'pair'}, n, v,
      h('button', {type: 'button', class: 'small', title: 'remove', onclick: () => row.remove()}, '×'));
    list.appendChild(row);
    return row;
  };
  const root = h('div', null, list,
    h('button', {type: 'button', class: 'small', 'data-role': 'add-user-property', onclick: () => add().querySelector('input').focus()},
      '+ User property'));
  return {
    root,
    add,
    value: () => [...list.querySelectorAll('.pair')]
      .map((row) => [row.children[0].value, row.children[1].value])
      .filter(([name, value]) => name !== '' || value !== ''),
  };
}

/** User properties for MQTT.js: an object whose repeated names hold arrays, in the order given. */
export function toMqttJsUserProperties(pairs) {
  const o = {};
  for (const [name, value] of pairs) {
    (o[name] ||= []).push(value);
  }
  return o;
}

/** Whole seconds from an input, or null when empty; throws when not a number in range. */
export function seconds(input, label, max = 4294967295) {
  const t = input.value.trim();
  if (t === '') {
    return null;
  }
  const n = Number(t);
  if (!Number.isInteger(n) || n < 0 || n > max) {
    throw new Error(`${label}: a whole number of seconds from 0 to ${max}`);
  }
  return n;
}
