// Retained messages: by topic filter, in pages; one message with its payload and properties; delete one (admin).
import {h, replace, field, dl, bytes, dateTime} from '../dom.js';
import {get, del, ApiError} from '../api.js';
import {pagedTable} from '../paging.js';
import {viewer, fromBase64} from '../payload.js';
import {propertyList} from './message-view.js';

export function render(main, route, ctx) {
  const filter = h('input', {name: 'filter', value: route.query.get('filter') || '#', class: 'grow', 'data-role': 'filter'});
  const form = h('form', {class: 'filters'}, h('div', {class: 'grow'}, field('Topic filter', filter)),
    h('button', {type: 'submit', class: 'primary', 'data-role': 'search'}, 'Search'));
  const view = h('div', {'data-role': 'retained-view'});
  const list = pagedTable({
    role: 'retained',
    columns: [
      ['Topic', (m) => h('button', {type: 'button', class: 'link mono', 'data-topic': m.topic, onclick: () => show(m.topic)}, m.topic)],
      ['QoS', (m) => String(m.qos)],
      ['Size', (m) => bytes(m.payloadBytes)],
      ['Content type', (m) => m.contentType ?? '–'],
      ['Expires', (m) => m.expiresAt ? dateTime(m.expiresAt) : 'never'],
    ],
    fetchPage: (after, limit) => get('/api/v1/retained', {filter: filter.value.trim() || '#', limit, after}),
  });

  async function show(topic) {
    replace(view, h('section', {class: 'card'}, h('p', {class: 'muted'}, 'Loading...')));
    let m;
    try {
      m = await get('/api/v1/retained/message', {topic});
    } catch (e) {
      replace(view, h('section', {class: 'card'}, h('p', {class: 'warn'}, e instanceof ApiError ? e.describe() : String(e))));
      return;
    }
    const payload = fromBase64(m.payload || '');
    const p = m.properties || {};
    replace(view, h('section', {class: 'card', 'data-role': 'retained-message'},
      h('div', {class: 'page-head'}, h('h2', {class: 'mono'}, m.topic),
        h('span', {class: 'actions'},
          ctx.isAdmin() ? h('button', {type: 'button', class: 'danger', 'data-role': 'delete-retained', onclick: () => remove(m.topic)}, 'Delete') : null,
          h('button', {type: 'button', onclick: () => replace(view)}, 'Close'))),
      dl([['QoS', String(m.qos)], ...propertyList({
        payloadFormatIndicator: p.payloadFormatIndicator, contentType: p.contentType, responseTopic: p.responseTopic,
        correlationData: p.correlationData ? fromBase64(p.correlationData) : null,
        messageExpiryInterval: p.messageExpiryInterval,
        userProperties: (p.userProperties || []).map((u) => [u.name, u.value]),
      })], {class: 'kv'}),
      viewer(payload, {contentType: p.contentType})));
  }

  async function remove(topic) {
    const ok = await ctx.confirm({title: 'Delete this retained message?',
      text: `New subscribers to ${topic} will no longer receive it. This cannot be undone.`, action: 'Delete'});
    if (!ok) {
      return;
    }
    try {
      await del('/api/v1/retained/message', {topic});
      ctx.notify(`Deleted the retained message of ${topic}.`);
      replace(view);
    } catch (e) {
      ctx.fail(e);
    }
    list.refresh();
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    replace(view);
    list.load();
  });
  replace(main, h('div', {class: 'page-head'}, h('h1', null, 'Retained messages'),
    h('span', {class: 'actions'}, h('button', {type: 'button', onclick: () => list.refresh()}, 'Refresh'))),
  form, view, list.root);
  list.load();
  if (route.query.get('topic')) {
    show(route.query.get('topic'));
  }
}
