// Topics: the topic filters subscribed with how many subscribe to each, and who would receive a topic.
import {h, replace, field, number} from '../dom.js';
import {get} from '../api.js';
import {pagedTable} from '../paging.js';

export function render(main, route) {
  const matching = h('input', {name: 'matching', value: route.query.get('matching') || '', placeholder: 'a topic name, e.g. devices/door-7/state',
    class: 'grow', 'data-role': 'matching'});
  const answer = h('p', {class: 'muted', 'data-role': 'matching-answer'});
  const form = h('form', {class: 'filters'}, h('div', {class: 'grow'}, field('Who receives topic', matching)),
    h('button', {type: 'submit', class: 'primary', 'data-role': 'search'}, 'Find'),
    h('button', {type: 'button', onclick: () => {
      matching.value = '';
      load();
    }}, 'All filters'));
  const list = pagedTable({
    role: 'topics',
    columns: [
      ['Topic filter', (t) => h('a', {href: `#/subscriptions?filter=${encodeURIComponent(t.filter)}`, class: 'mono', title: 'its subscriptions'}, t.filter)],
      ['Subscribers', (t) => number(t.subscribers)],
    ],
    fetchPage: async (after, limit) => {
      const page = await get('/api/v1/topics', {matching: matching.value, limit, after});
      const topic = matching.value;
      answer.textContent = topic
        ? `${number(page.total ?? 0)} filter${page.total === 1 ? '' : 's'} match '${topic}': their subscribers receive a message published to it.`
        : 'Every topic filter subscribed, with its number of subscribers.';
      return page;
    },
  });
  function load() {
    list.load();
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    load();
  });
  replace(main, h('div', {class: 'page-head'}, h('h1', null, 'Topics')), form, answer, list.root);
  load();
}
