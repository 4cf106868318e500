// A table over the API's pages: {items, total, next}, the next page asked for with after=next.
import {h, replace, table, number} from './dom.js';
import {ApiError} from './api.js';

export const PAGE_SIZE = 50;

/**
 * fetchPage(after, limit) -> Promise<{items, total, next}>; columns as dom.table's. load() goes back
 * to the first page (new filters); refresh() loads the page shown again.
 */
export function pagedTable({columns, fetchPage, role}) {
  const body = h('div', {'data-role': role});
  const info = h('span', {class: 'muted', 'data-role': 'page-info'});
  const prev = h('button', {type: 'button', 'data-role': 'previous', onclick: () => go(index - 1)}, '‹ Previous');
  const next = h('button', {type: 'button', 'data-role': 'next', onclick: () => go(index + 1)}, 'Next ›');
  const root = h('div', null, body, h('div', {class: 'pager'}, prev, next, info));
  /** cursors[i] is the `after` of page i; null for the first. */
  let cursors = [null];
  let index = 0;
  let generation = 0;

  async function go(i) {
    const g = ++generation;
    prev.disabled = true;
    next.disabled = true;
    let page;
    try {
      page = await fetchPage(cursors[i], PAGE_SIZE);
    } catch (e) {
      if (g === generation) {
        replace(body, h('p', {class: 'warn'}, e instanceof ApiError ? e.describe() : String(e)));
        info.textContent = '';
      }
      return;
    }
    if (g !== generation) {
      return; // a later load won
    }
    index = i;
    cursors = cursors.slice(0, i + 1);
    if (page.next) {
      cursors.push(page.next);
    }
    const items = page.items || [];
    replace(body, table(columns, items, {class: 'grid'}));
    const first = i * PAGE_SIZE + 1;
    info.textContent = items.length
      ? `${number(first)}–${number(first + items.length - 1)} of ${number(page.total ?? items.length)}`
      : `0 of ${number(page.total ?? 0)}`;
    prev.disabled = i === 0;
    next.disabled = !page.next;
  }

  return {
    root,
    load: () => {
      cursors = [null];
      return go(0);
    },
    refresh: () => go(index),
  };
}
