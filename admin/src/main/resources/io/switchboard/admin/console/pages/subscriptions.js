// Subscriptions: every client's, by client id then filter.
import {h, replace, field, yesNo} from '../dom.js';
import {get} from '../api.js';
import {pagedTable} from '../paging.js';

const RETAIN_HANDLING = {0: '0 send', 1: '1 if new', 2: '2 never'};

/** The columns of a subscription, shared with a client's details. */
export function subscriptionColumns({withClient}) {
  return [
    withClient ? ['Client id', (s) => h('a', {href: `#/clients/${encodeURIComponent(s.clientId)}`, class: 'mono'}, s.clientId)] : null,
    ['Filter', (s) => h('span', {class: 'mono', 'data-role': 'filter'}, s.filter)],
    ['QoS', (s) => String(s.qos)],
    ['No Local', (s) => yesNo(s.noLocal)],
    ['Retain As Published', (s) => yesNo(s.retainAsPublished)],
    ['Retain Handling', (s) => RETAIN_HANDLING[s.retainHandling] ?? String(s.retainHandling ?? '–')],
    ['Subscription id', (s) => s.subscriptionId ?? '–'],
  ].filter(Boolean);
}

export function render(main, route) {
  const clientId = h('input', {name: 'clientId', value: route.query.get('clientId') || '', placeholder: 'pattern: * and ?', 'data-role': 'client-id'});
  const filter = h('input', {name: 'filter', value: route.query.get('filter') || '', placeholder: 'exactly as subscribed', 'data-role': 'filter'});
  const form = h('form', {class: 'filters'}, field('Client id', clientId), field('Topic filter', filter),
    h('button', {type: 'submit', class: 'primary', 'data-role': 'search'}, 'Search'));
  const list = pagedTable({
    role: 'subscriptions',
    columns: subscriptionColumns({withClient: true}),
    fetchPage: (after, limit) => get('/api/v1/subscriptions', {clientId: clientId.value.trim(), filter: filter.value, limit, after}),
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    list.load();
  });
  replace(main, h('div', {class: 'page-head'}, h('h1', null, 'Subscriptions'),
    h('span', {class: 'actions'}, h('button', {type: 'button', onclick: () => list.refresh()}, 'Refresh'))), form, list.root);
  list.load();
}
