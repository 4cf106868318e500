// Clients: search, pages, one client's details; disconnecting a client and deleting a session (admin).
import {h, replace, dl, table, field, select, yesNo, dateTime, duration, number} from '../dom.js';
import {get, post, del, clientPath, ApiError} from '../api.js';
import {pagedTable} from '../paging.js';
import {reason} from '../mqtt-connection.js';
import {subscriptionColumns} from './subscriptions.js';

/** DISCONNECT reason codes a server may send (MQTT 5, 3.14.2.1) that make sense for an operator. */
const DISCONNECT_REASONS = [0x98, 0x00, 0x80, 0x87, 0x89, 0x8B, 0x97, 0x9C, 0x9D, 0x9F, 0xA0];

/** "/127.0.0.1:5000" (Java's InetSocketAddress) as "127.0.0.1:5000". */
function address(a) {
  return a ? a.replace(/^[^/]*\//, '') : null;
}

export function protocolName(v) {
  return {3: '3.1', 4: '3.1.1', 5: '5.0'}[v] ?? '–';
}

export function render(main, route, ctx) {
  if (route.arg !== null) {
    return details(main, route.arg, ctx);
  }
  const q = route.query;
  const clientId = h('input', {name: 'clientId', value: q.get('clientId') || '', placeholder: 'sensor-* or ?', 'data-role': 'client-id'});
  // The API's `username` filter is the name the client authenticated as (its user name, or its certificate's).
  const username = h('input', {name: 'username', value: q.get('username') || '', 'data-role': 'username-filter'});
  const connected = select({name: 'connected', 'data-role': 'connected'}, [['', 'any'], ['true', 'connected'], ['false', 'offline']],
    q.get('connected') || '');
  const protocol = select({name: 'protocolVersion', 'data-role': 'protocol'}, [['', 'any'], ['5', '5.0'], ['4', '3.1.1'], ['3', '3.1']],
    q.get('protocolVersion') || '');
  const form = h('form', {class: 'filters', 'data-role': 'client-search'},
    field('Client id', clientId, null), field('Authentication name', username), field('State', connected),
    field('Protocol', protocol),
    h('button', {type: 'submit', class: 'primary', 'data-role': 'search'}, 'Search'));

  const columns = [
    ['Client id', (c) => h('a', {href: `#/clients/${encodeURIComponent(c.clientId)}`, class: 'mono', 'data-client': c.clientId}, c.clientId)],
    ['State', (c) => h('span', {'data-role': 'state'}, h('i', {class: c.connected ? 'dot on' : 'dot'}), c.connected ? 'connected' : 'offline')],
    ['Protocol', (c) => protocolName(c.protocolVersion)],
    ['Authentication name', (c) => c.authenticationName ?? '–'],
    ['Remote address', (c) => address(c.remoteAddress) ?? '–'],
    ['Listener', (c) => c.listener ?? '–'],
    ['Connected at', (c) => dateTime(c.connectedAt)],
    ['Persistent', (c) => yesNo(c.persistent)],
  ];
  if (ctx.isAdmin()) {
    columns.push(['', (c) => h('span', {class: 'row'},
      c.connected ? h('button', {type: 'button', class: 'small danger', 'data-role': 'disconnect',
        onclick: () => disconnect(c.clientId, ctx, () => list.refresh())}, 'Disconnect') : null,
      h('button', {type: 'button', class: 'small danger', 'data-role': 'delete-session',
        onclick: () => deleteSession(c.clientId, ctx, () => list.refresh())}, 'Delete session'))]);
  }
  const list = pagedTable({
    role: 'clients',
    columns,
    fetchPage: (after, limit) => get('/api/v1/clients', {
      clientId: clientId.value.trim(), username: username.value.trim(), connected: connected.value,
      protocolVersion: protocol.value, limit, after,
    }),
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    list.load();
  });
  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Clients'),
      h('span', {class: 'muted'}, 'Sessions, connected or not. Client id patterns: * any characters, ? one.'),
      h('span', {class: 'actions'}, h('button', {type: 'button', 'data-role': 'refresh', onclick: () => list.refresh()}, 'Refresh'))),
    form, list.root);
  list.load();
}

function details(main, clientId, ctx) {
  const body = h('div', {'data-role': 'client-details'}, h('p', {class: 'muted'}, 'Loading...'));
  const actions = h('span', {class: 'actions'});
  replace(main,
    h('div', {class: 'page-head'}, h('a', {href: '#/clients'}, '‹ Clients'), h('h1', {class: 'mono'}, clientId), actions),
    body);

  async function load() {
    let c;
    try {
      c = await get(clientPath(clientId));
    } catch (e) {
      replace(actions);
      replace(body, h('p', {class: 'warn'}, e instanceof ApiError ? e.describe() : String(e)));
      return;
    }
    replace(actions,
      h('button', {type: 'button', 'data-role': 'refresh', onclick: load}, 'Refresh'),
      ctx.isAdmin() && c.connected ? h('button', {type: 'button', class: 'danger', 'data-role': 'disconnect',
        onclick: () => disconnect(clientId, ctx, load)}, 'Disconnect') : null,
      ctx.isAdmin() ? h('button', {type: 'button', class: 'danger', 'data-role': 'delete-session',
        onclick: () => deleteSession(clientId, ctx, () => ctx.navigate('#/clients'))}, 'Delete session') : null);
    replace(body,
      h('div', {class: 'columns'},
        h('section', {class: 'card'}, h('h2', null, 'Connection'), dl([
          ['State', h('span', {'data-role': 'state'}, h('i', {class: c.connected ? 'dot on' : 'dot'}), c.connected ? 'connected' : 'offline')],
          ['Protocol', protocolName(c.protocolVersion)],
          ['Authentication name', c.authenticationName],
          ['Remote address', address(c.remoteAddress)],
          ['Listener', c.listener],
          ['Connected at', dateTime(c.connectedAt)],
          ['Keep alive', c.keepAliveSeconds === null || c.keepAliveSeconds === undefined ? null : `${c.keepAliveSeconds} s`],
          ['Clean start', yesNo(c.cleanStart)],
        ])),
        h('section', {class: 'card'}, h('h2', null, 'Session'), dl([
          ['Persistent', yesNo(c.persistent)],
          ['Owner', c.owner ?? null],
          ['Session expiry', c.sessionExpiryInterval === 4294967295 ? 'never'
            : c.sessionExpiryInterval === undefined ? null : duration(c.sessionExpiryInterval)],
          ['Queued', h('span', {'data-role': 'queued'}, number(c.queued))],
          ['In flight', h('span', {'data-role': 'inflight'}, number(c.inflight))],
          ['Awaiting PUBREL', number(c.awaitingPubrel)],
        ]))),
      h('section', {class: 'card'}, h('h2', null, `Subscriptions (${(c.subscriptions || []).length})`),
        table(subscriptionColumns({withClient: false}), c.subscriptions || [], {class: 'grid', 'data-role': 'client-subscriptions'})));
  }
  load();
}

async function disconnect(clientId, ctx, after) {
  const code = select({'data-role': 'reason-code'}, DISCONNECT_REASONS.map((c) => [c, reason(c)]), 0x98);
  const text = h('input', {'data-role': 'reason-string', placeholder: 'optional', maxlength: 200});
  const ok = await ctx.confirm({
    title: 'Disconnect this client?',
    text: `${clientId} will receive DISCONNECT (MQTT 5) or be closed (3.1.1). Its session stays as its expiry says; a client that reconnects by itself will be back.`,
    body: h('div', {class: 'form-grid'}, field('Reason code', code), field('Reason string', text)),
    action: 'Disconnect',
  });
  if (!ok) {
    return;
  }
  try {
    const body = {reasonCode: Number(code.value)};
    if (text.value.trim()) {
      body.reason = text.value.trim();
    }
    await post(`${clientPath(clientId)}/disconnect`, body);
    ctx.notify(`Disconnected ${clientId} (${reason(body.reasonCode)}).`);
  } catch (e) {
    ctx.fail(e);
  }
  after();
}

async function deleteSession(clientId, ctx, after) {
  const ok = await ctx.confirm({
    title: 'Delete this session?',
    text: `The session of ${clientId} ends now: its subscriptions, queued messages and in-flight state are deleted, and the client is disconnected (0x98) if connected.`,
    action: 'Delete session',
  });
  if (!ok) {
    return;
  }
  try {
    await del(`/api/v1/sessions/${encodeURIComponent(clientId)}`);
    ctx.notify(`Deleted the session of ${clientId}.`);
  } catch (e) {
    ctx.fail(e);
  }
  after();
}
