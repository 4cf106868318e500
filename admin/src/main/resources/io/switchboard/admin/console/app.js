// The console's shell: who is signed in, the navigation, hash routing (#/page/argument?query), and the
// dialogs and notices the pages share.
import {h, replace} from './dom.js';
import {get, post, request, setToken, token, onUnauthorized, ApiError} from './api.js';
import {consoleMqtt} from './mqtt-connection.js';
import * as overview from './pages/overview.js';
import * as clients from './pages/clients.js';
import * as subscriptions from './pages/subscriptions.js';
import * as topics from './pages/topics.js';
import * as retained from './pages/retained.js';
import * as rules from './pages/rules.js';
import * as testClient from './pages/test-client.js';
import * as rpc from './pages/rpc.js';

const PAGES = [
  ['overview', 'Overview', overview],
  ['clients', 'Clients', clients],
  ['subscriptions', 'Subscriptions', subscriptions],
  ['topics', 'Topics', topics],
  ['retained', 'Retained', retained],
  ['rules', 'Rules', rules],
  ['test-client', 'MQTT test client', testClient],
  ['rpc', 'RPC', rpc],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const notices = document.getElementById('notices');
const mqttChip = document.getElementById('mqtt-state');

/** The answer of GET /api/v1/whoami: {user, role, via, signInRequired}. */
let session = null;
let cleanup = null;

const ctx = {
  get session() {
    return session;
  },
  /** Whether the user may change things (role admin); read-only users see no actions. */
  isAdmin: () => session?.role === 'admin',
  navigate: (hash) => {
    if (location.hash === hash) {
      route();
    } else {
      location.hash = hash;
    }
  },
  notify,
  confirm: confirmDialog,
  /** Shows what went wrong with a request. */
  fail: (e) => notify(e instanceof ApiError ? e.describe() : String(e.message || e), 'error'),
};

/** A notice at the top of the page: 'ok' ones go away after a while, errors stay until closed. */
export function notify(text, kind = 'ok') {
  const close = h('button', {type: 'button', class: 'close', title: 'Dismiss', onclick: () => n.remove()}, '×');
  const n = h('div', {class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status'}, h('span', null, text), close);
  notices.prepend(n);
  while (notices.children.length > 4) {
    notices.lastChild.remove();
  }
  if (kind !== 'error') {
    setTimeout(() => n.remove(), 5000);
  }
}

/**
 * A modal confirmation: resolves true when confirmed. `body` (a Node) may hold inputs the caller reads
 * once it resolves.
 */
function confirmDialog({title, text, body, action = 'Confirm', danger = true}) {
  return new Promise((resolve) => {
    const ok = h('button', {type: 'submit', class: danger ? 'danger' : 'primary', 'data-role': 'confirm'}, action);
    const cancel = h('button', {type: 'button', 'data-role': 'cancel'}, 'Cancel');
    const dialog = h('dialog', {class: 'confirm'},
      h('form', {method: 'dialog'}, h('h2', null, title), text ? h('p', null, text) : null, body || null,
        h('div', {class: 'buttons'}, cancel, ok)));
    let answered = false;
    const done = (v) => {
      if (!answered) {
        answered = true;
        dialog.close();
        dialog.remove();
        resolve(v);
      }
    };
    ok.addEventListener('click', (e) => {
      e.preventDefault();
      done(true);
    });
    cancel.addEventListener('click', () => done(false));
    dialog.addEventListener('cancel', () => done(false));
    document.body.appendChild(dialog);
    dialog.showModal();
    ok.focus();
  });
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, q] = raw.split('?', 2);
  const [page, ...rest] = path.split('/');
  return {
    page: page || 'overview',
    arg: rest.length ? decodeURIComponent(rest.join('/')) : null,
    query: new URLSearchParams(q || ''),
  };
}

function drawNav(current) {
  replace(nav, PAGES.map(([id, label]) =>
    h('a', {href: `#/${id}`, class: id === current ? 'on' : null, 'data-page': id}, label)));
}

function drawWho() {
  if (!session) {
    replace(who);
    return;
  }
  replace(who,
    session.user ? h('span', {'data-role': 'user'}, session.user) : h('span', {'data-role': 'user', class: 'muted'}, 'local access'),
    h('span', {class: `role ${session.role}`, 'data-role': 'role'}, session.role),
    session.signInRequired && session.user ? h('button', {type: 'button', 'data-role': 'sign-out', onclick: signOut}, 'Sign out') : null);
}

function drawMqttChip() {
  const labels = {idle: 'MQTT: off', connecting: 'MQTT: connecting', connected: 'MQTT: connected',
    waiting: 'MQTT: reconnecting', failed: 'MQTT: failed'};
  mqttChip.textContent = labels[consoleMqtt.state];
  mqttChip.className = `chip ${consoleMqtt.state}`;
  mqttChip.hidden = consoleMqtt.state === 'idle';
}
consoleMqtt.addEventListener('state', drawMqttChip);

function route() {
  if (cleanup) {
    cleanup();
    cleanup = null;
  }
  const r = parseHash();
  if (!session) {
    return;
  }
  if (needsSignIn()) {
    showSignIn();
    return;
  }
  const entry = PAGES.find(([id]) => id === r.page);
  if (!entry) {
    location.replace('#/overview');
    return;
  }
  drawNav(r.page);
  document.title = `${entry[1]} · Switchboard`;
  main.dataset.page = r.page;
  try {
    cleanup = entry[2].render(main, r, ctx) || null;
  } catch (e) {
    replace(main, h('p', {class: 'warn'}, `This page failed: ${e.message}`));
    console.error(e);
  }
}

function needsSignIn() {
  return session.signInRequired && !session.user;
}

function showSignIn(message) {
  replace(nav);
  drawWho();
  main.dataset.page = 'sign-in';
  document.title = 'Sign in · Switchboard';
  const user = h('input', {name: 'username', autocomplete: 'username', required: true, 'data-role': 'username'});
  const password = h('input', {name: 'password', type: 'password', autocomplete: 'current-password', required: true,
    'data-role': 'password'});
  const error = h('p', {class: 'warn', 'data-role': 'sign-in-error'}, message || '');
  const form = h('form', {class: 'sign-in card'},
    h('h1', null, 'Sign in'),
    h('label', {class: 'field'}, h('span', null, 'User'), user),
    h('label', {class: 'field'}, h('span', null, 'Password'), password),
    error,
    h('button', {type: 'submit', class: 'primary', 'data-role': 'sign-in'}, 'Sign in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      const s = await request('POST', '/api/v1/login', {body: {username: user.value, password: password.value}, auth: false});
      setToken(s.token);
      await start();
    } catch (err) {
      error.textContent = err instanceof ApiError && err.status === 401
        ? 'Wrong user name or password.' : (err instanceof ApiError ? err.describe() : String(err));
    }
  });
  replace(main, form);
  user.focus();
}

async function signOut() {
  try {
    await post('/api/v1/logout');
  } catch (e) {
    // the session may have ended already; signing out locally is what matters
  }
  setToken(null);
  endSession();
  await start();
}

/** What belongs to the signed-in user goes with them. */
function endSession() {
  consoleMqtt.disconnect();
  overview.stopStats();
  testClient.reset();
  rpc.reset();
}

async function start() {
  try {
    session = await get('/api/v1/whoami');
  } catch (e) {
    session = null;
    replace(main, h('div', {class: 'card'}, h('h1', null, 'The broker cannot be reached'),
      h('p', {class: 'warn'}, e instanceof ApiError ? e.describe() : String(e)),
      h('button', {type: 'button', onclick: start}, 'Try again')));
    return;
  }
  if (session.signInRequired && !session.user && token()) {
    setToken(null); // a token the broker no longer knows
  }
  drawWho();
  route();
}

onUnauthorized(() => {
  if (session && session.signInRequired) {
    endSession();
    session = {...session, user: null};
    drawWho();
    showSignIn('Your session ended: sign in again.');
  }
});

window.addEventListener('hashchange', route);
// Leaving the page ends its MQTT connection at once: a page the browser keeps in its back/forward cache
// would otherwise hold it open, subscribed, unseen. Coming back to such a page connects again.
let reconnectOnShow = false;
window.addEventListener('pagehide', () => {
  reconnectOnShow = consoleMqtt.state !== 'idle';
  consoleMqtt.close();
});
window.addEventListener('pageshow', (e) => {
  if (e.persisted && reconnectOnShow) {
    consoleMqtt.connect();
  }
});
drawMqttChip();
start();
