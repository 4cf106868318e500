// Rules (docs/rules.md): the rules in force with their counters, refreshed every 3 s (#/rules); one rule's
// statement, actions and counters (#/rules/{name}); defining and changing a rule (#/rules?new,
// #/rules/{name}?edit), enabling, disabling and deleting one (admin); testing a statement (rule-test.js).
import {h, replace, field, dl, number} from '../dom.js';
import {get, put, del, ApiError} from '../api.js';
import {testPanel, markedSql, sampleTopic} from './rule-test.js';

const POLL_MS = 3000;
const EXAMPLE_ACTIONS = '[{"republish": {"topic": "out/${topic(2)}"}}]';
const EXAMPLE_SQL = 'SELECT temp, topic(2) AS room FROM \'rooms/+/temp\' WHERE temp > 30';

const rulePath = (name) => `/api/v1/rules/${encodeURIComponent(name)}`;
const ruleHash = (name) => `#/rules/${encodeURIComponent(name)}`;
const now = () => new Date().toLocaleTimeString(undefined, {hour12: false});
const describe = (e) => (e instanceof ApiError ? e.describe() : String(e.message || e));

export function render(main, route, ctx) {
  if (route.arg !== null) {
    return route.query.has('edit') ? editPage(main, route.arg, ctx) : detailsPage(main, route.arg, ctx);
  }
  return route.query.has('new') ? editPage(main, null, ctx) : listPage(main, ctx);
}

/**
 * Calls load() now and POLL_MS after each answer, until stop() or until a load (a poll, or a refresh)
 * returns false. Answers are drawn in order: load(isCurrent) checks isCurrent() before drawing, so an
 * answer overtaken by a later one (a Refresh click while a poll waits) is dropped.
 */
function poller(load) {
  let timer = null;
  let stopped = false;
  let seq = 0;
  let drawn = 0;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
  };
  const once = async () => {
    const s = ++seq;
    const go = await load(() => {
      if (stopped || s < drawn) {
        return false;
      }
      drawn = s;
      return true;
    });
    if (go === false) {
      stop();
    }
  };
  const tick = async () => {
    await once();
    if (!stopped) {
      timer = setTimeout(tick, POLL_MS);
    }
  };
  tick();
  return {refresh: once, stop};
}

/**
 * Whether an error ends polling: 401 (the session ended; the shell asks to sign in, and polling on
 * would ask again, over the form), 404 (the rule is gone), 409 (rules are off).
 */
const final = (e) => e instanceof ApiError && [401, 404, 409].includes(e.status);

const total = (byKind) => Object.values(byKind || {}).reduce((a, b) => a + b, 0);
const breakdown = (byKind) => Object.entries(byKind || {}).map(([k, v]) => `${k}: ${number(v)}`).join('\n');

/** A counter's cell; with kinds (failure causes, action kinds) in its title, on hover. */
function counterCell(role, value, byKind, bad) {
  const kinds = byKind ? breakdown(byKind) : '';
  return h('td', {class: `num${bad && value > 0 ? ' bad' : ''}${kinds ? ' has-kinds' : ''}`, 'data-counter': role,
    title: kinds || null}, number(value));
}

function enabledBadge(enabled) {
  return h('span', {class: enabled ? 'badge ok' : 'badge', 'data-role': 'enabled', 'data-enabled': String(enabled)},
    enabled ? 'enabled' : 'disabled');
}

function shorten(sql, max) {
  const one = (sql || '').replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The rule as PUT takes it: its definition, without its name (in the path), FROM and counters. */
function definition(rule, changes) {
  const d = {sql: rule.sql, enabled: rule.enabled, actions: rule.actions};
  if (rule.errorAction) {
    d.errorAction = rule.errorAction;
  }
  return {...d, ...changes};
}

/** Flips a rule's enabled flag, from its definition as the broker has it now. */
async function setEnabled(name, enabled, ctx, after) {
  try {
    const rule = await get(rulePath(name));
    await put(rulePath(name), definition(rule, {enabled}));
    ctx.notify(`${enabled ? 'Enabled' : 'Disabled'} rule ${name}.`);
  } catch (e) {
    ctx.fail(e);
  }
  after();
}

async function remove(name, ctx, after) {
  const ok = await ctx.confirm({title: 'Delete this rule?',
    text: `Rule ${name} stops at once and is removed from the rules file, with its counters. This cannot be undone.`,
    action: 'Delete'});
  if (!ok) {
    return;
  }
  try {
    await del(rulePath(name));
    ctx.notify(`Deleted rule ${name}.`);
    after(true);
  } catch (e) {
    ctx.fail(e);
    after(false);
  }
}

function ruleButtons(rule, ctx, after, deleted) {
  return [
    h('button', {type: 'button', class: 'small', 'data-role': 'edit-rule', onclick: () => ctx.navigate(`${ruleHash(rule.name)}?edit`)}, 'Edit'),
    h('button', {type: 'button', class: 'small', 'data-role': 'toggle-rule',
      onclick: () => setEnabled(rule.name, !rule.enabled, ctx, after)}, rule.enabled ? 'Disable' : 'Enable'),
    h('button', {type: 'button', class: 'small danger', 'data-role': 'delete-rule',
      onclick: () => remove(rule.name, ctx, (gone) => (gone ? deleted() : after()))}, 'Delete'),
  ];
}

function rulesTable(items, ctx, refresh) {
  const admin = ctx.isAdmin();
  const headings = [['Name'], ['State'], ['FROM'], ['Matched', 'num'], ['Passed', 'num'], ['Failed', 'num'],
    ['Actions ok', 'num'], ['Actions failed', 'num']];
  if (admin) {
    headings.push(['']);
  }
  return h('table', {class: 'grid rules'},
    h('thead', null, h('tr', null, headings.map(([t, cls]) => h('th', {class: cls || null}, t)))),
    h('tbody', null, items.length === 0
      ? h('tr', {class: 'empty'}, h('td', {colspan: headings.length}, admin ? 'No rules yet: "New rule" defines one.' : 'No rules.'))
      : items.map((r) => {
        const c = r.counters || {};
        return h('tr', {'data-rule': r.name},
          h('td', {class: 'name'}, h('a', {href: ruleHash(r.name), class: 'mono', 'data-role': 'rule-link'}, r.name)),
          h('td', null, enabledBadge(r.enabled)),
          h('td', {title: r.sql}, h('div', {class: 'mono', 'data-role': 'from'}, r.from ?? '–'),
            h('div', {class: 'sql-short muted'}, shorten(r.sql, 80))),
          counterCell('matched', c.matched),
          counterCell('passed', c.passed),
          counterCell('failed', total(c.failed), c.failed, true),
          counterCell('actions-succeeded', total(c.actionsSucceeded), c.actionsSucceeded),
          counterCell('actions-failed', total(c.actionsFailed), c.actionsFailed, true),
          admin ? h('td', {class: 'buttons'}, h('span', {class: 'row'}, ruleButtons(r, ctx, refresh, refresh))) : null);
      })));
}

function rulesOff(e) {
  return h('section', {class: 'card', 'data-role': 'rules-off'},
    h('h2', null, 'Rules are off'),
    h('p', {class: 'muted'}, `The broker says: ${e.problem.detail || e.describe()}`),
    h('p', null, 'To turn them on, give the broker\'s configuration a rules file and restart it (docs/rules.md). '
      + 'The file need not exist yet: the rules defined here are written to it.'),
    h('pre', {class: 'payload'}, 'rules:\n  file: ./rules.yaml      # read at start, written when rules change here\n'
      + '  reloadCheckSeconds: 5   # a changed file is put in force; 0: only on request'),
    h('p', {class: 'muted'}, 'Statements can be tested below all the same.'));
}

function listPage(main, ctx) {
  const status = h('div', {class: 'status-line', 'data-role': 'rules-status'});
  const body = h('div', {'data-role': 'rules'}, h('p', {class: 'muted'}, 'Loading...'));
  const file = h('span', {class: 'muted mono', 'data-role': 'rules-file'});
  const newRule = ctx.isAdmin()
    ? h('button', {type: 'button', class: 'primary', 'data-role': 'new-rule', onclick: () => ctx.navigate('#/rules?new')}, 'New rule')
    : null;
  const tester = testPanel({sql: EXAMPLE_SQL, topic: 'rooms/attic/temp', payload: '{"temp": 41}', format: 'json'});
  let last = null;
  const poll = poller(async (current) => {
    let answer;
    try {
      answer = await get('/api/v1/rules');
    } catch (e) {
      if (!current() || (e instanceof ApiError && e.status === 401)) {
        return !final(e);
      }
      if (e instanceof ApiError && e.status === 409) {
        last = null;
        newRule?.remove();
        replace(status);
        replace(body, rulesOff(e));
        return false; // on only with a configuration the broker reads at start
      }
      replace(status, h('span', {class: 'warn'}, `Rules: ${describe(e)}`));
      return !final(e);
    }
    if (!current()) {
      return true;
    }
    replace(status, h('span', {class: 'muted'}, `Updated ${now()}, every ${POLL_MS / 1000} s`));
    file.textContent = answer.file ? `from ${answer.file}` : '';
    const key = JSON.stringify(answer.items);
    if (key !== last) { // redrawn only when something changed: a hovered title or a focused button stays
      last = key;
      replace(body, rulesTable(answer.items || [], ctx, () => poll.refresh()));
    }
    return true;
  });
  replace(main,
    h('div', {class: 'page-head'}, h('h1', null, 'Rules'), file,
      h('span', {class: 'actions'}, newRule,
        h('button', {type: 'button', 'data-role': 'refresh', onclick: () => poll.refresh()}, 'Refresh'))),
    status, body, tester.root);
  return poll.stop;
}

function kinds(byKind) {
  const entries = Object.entries(byKind || {});
  return entries.length === 0 ? '0'
    : `${number(total(byKind))} (${entries.map(([k, v]) => `${k} ${number(v)}`).join(', ')})`;
}

const pretty = (json) => JSON.stringify(json, null, 2);

function detailsPage(main, name, ctx) {
  const actions = h('span', {class: 'actions'});
  const state = h('span');
  const status = h('div', {class: 'status-line', 'data-role': 'rules-status'});
  const body = h('div', {'data-role': 'rule-details'}, h('p', {class: 'muted'}, 'Loading...'));
  const testSlot = h('div');
  let tester = null;
  let last = null;
  replace(main,
    h('div', {class: 'page-head'}, h('a', {href: '#/rules'}, '‹ Rules'), h('h1', {class: 'mono'}, name), state, actions),
    status, body, testSlot);

  const poll = poller(async (current) => {
    let r;
    try {
      r = await get(rulePath(name));
    } catch (e) {
      if (current() && !(e instanceof ApiError && e.status === 401)) {
        replace(actions);
        replace(body, h('p', {class: 'warn'}, describe(e)));
      }
      return !final(e);
    }
    if (!current()) {
      return true;
    }
    replace(status, h('span', {class: 'muted'}, `Updated ${now()}, every ${POLL_MS / 1000} s`));
    if (!tester) {
      tester = testPanel({sql: r.sql, topic: sampleTopic(r.from), title: 'Test this statement'});
      replace(testSlot, tester.root);
    }
    const key = JSON.stringify(r);
    if (key === last) {
      return true;
    }
    last = key;
    const c = r.counters || {};
    replace(state, enabledBadge(r.enabled));
    replace(actions,
      ctx.isAdmin() ? ruleButtons(r, ctx, () => poll.refresh(), () => ctx.navigate('#/rules')) : null,
      h('button', {type: 'button', class: 'small', 'data-role': 'refresh', onclick: () => poll.refresh()}, 'Refresh'));
    replace(body,
      h('div', {class: 'columns'},
        h('section', {class: 'card'}, h('h2', null, 'Statement'),
          h('pre', {class: 'payload sql', 'data-role': 'rule-sql'}, r.sql),
          dl([['FROM', h('span', {class: 'mono'}, r.from)], ['State', r.enabled ? 'enabled' : 'disabled']], {class: 'kv'})),
        h('section', {class: 'card'}, h('h2', null, 'Counters'), dl([
          ['Matched (FROM)', h('span', {'data-counter': 'matched'}, number(c.matched))],
          ['Passed (WHERE)', h('span', {'data-counter': 'passed'}, number(c.passed))],
          ['Failed', h('span', {'data-counter': 'failed'}, kinds(c.failed))],
          ['Actions succeeded', h('span', {'data-counter': 'actions-succeeded'}, kinds(c.actionsSucceeded))],
          ['Actions failed', h('span', {'data-counter': 'actions-failed'}, kinds(c.actionsFailed))],
          ['Error action failed', h('span', {'data-counter': 'error-action-failed'}, number(c.errorActionFailed))],
        ], {class: 'kv counters'}))),
      h('section', {class: 'card'}, h('h2', null, 'Actions'),
        h('pre', {class: 'payload', 'data-role': 'rule-actions'}, pretty(r.actions)),
        h('h3', null, 'Error action'),
        r.errorAction ? h('pre', {class: 'payload', 'data-role': 'rule-error-action'}, pretty(r.errorAction))
          : h('p', {class: 'muted', 'data-role': 'rule-error-action'}, 'None: failures are counted and logged only.')));
    return true;
  });
  return poll.stop;
}

/** Positions of SQL problems in a refusal's text: "sql line 1, column 12: expected FROM ...". */
function sqlMarks(detail) {
  return [...(detail || '').matchAll(/sql line (\d+), column (\d+): (.*?)(?=; rule|$)/g)]
    .map((m) => ({line: Number(m[1]), column: Number(m[2]), text: m[3]}));
}

function parseJson(text, label) {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${label}: not valid JSON: ${e.message}`);
  }
}

function editPage(main, name, ctx) {
  const creating = name === null;
  replace(main, h('div', {class: 'page-head'},
    h('a', {href: creating ? '#/rules' : ruleHash(name)}, creating ? '‹ Rules' : `‹ ${name}`),
    h('h1', {class: creating ? null : 'mono'}, creating ? 'New rule' : `Edit ${name}`)));
  if (!ctx.isAdmin()) {
    main.appendChild(h('p', {class: 'warn'}, 'Only administrators may define or change rules.'));
    return null;
  }
  const nameInput = h('input', {value: name ?? '', disabled: !creating, required: true, maxlength: 128,
    placeholder: 'letters, digits, _ and -', 'data-role': 'rule-name'});
  const enabled = h('input', {type: 'checkbox', checked: true, 'data-role': 'rule-enabled'});
  const sql = h('textarea', {rows: 6, spellcheck: 'false', required: true, 'data-role': 'rule-sql',
    placeholder: EXAMPLE_SQL});
  const actions = h('textarea', {rows: 7, spellcheck: 'false', value: EXAMPLE_ACTIONS, 'data-role': 'rule-actions'});
  const errorAction = h('textarea', {rows: 3, spellcheck: 'false', 'data-role': 'rule-error-action',
    placeholder: 'optional, e.g. {"file": {"path": "./rule-errors.jsonl"}}'});
  const problem = h('div', {'data-role': 'rule-problem'});
  const save = h('button', {type: 'submit', class: 'primary', 'data-role': 'save-rule', disabled: !creating}, 'Save');
  const tester = testPanel({title: 'Test the statement'});
  const form = h('form', {class: 'card', 'data-role': 'rule-form'},
    h('div', {class: 'form-grid'}, field('Name', nameInput),
      h('label', {class: 'check spaced'}, enabled, 'Enabled')),
    h('div', {class: 'spaced'}, field('SQL', sql, 'AWS IoT SQL, version 2016-03-23 (docs/rules-sql.md)')),
    h('div', {class: 'spaced'}, field('Actions (JSON)', actions, 'One or more of republish, http, file, run in order (docs/rules.md)')),
    h('div', {class: 'spaced'}, field('Error action (JSON)', errorAction, 'One action; it receives the record of each failure')),
    problem,
    h('div', {class: 'row spaced'}, save,
      h('button', {type: 'button', 'data-role': 'test-this', onclick: () => {
        tester.use(sql.value);
        tester.root.scrollIntoView();
      }}, 'Test the statement'),
      h('a', {href: creating ? '#/rules' : ruleHash(name)}, 'Cancel')));
  main.append(form, tester.root);

  if (!creating) {
    get(rulePath(name)).then((r) => {
      enabled.checked = r.enabled;
      sql.value = r.sql;
      actions.value = pretty(r.actions);
      errorAction.value = r.errorAction ? pretty(r.errorAction) : '';
      tester.use(r.sql, sampleTopic(r.from));
      save.disabled = false;
    }).catch((e) => replace(problem, h('p', {class: 'warn'}, describe(e))));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    replace(problem);
    const ruleName = nameInput.value.trim();
    let body;
    try {
      if (!ruleName) {
        throw new Error('Name: required (1 to 128 letters, digits, _ and -)');
      }
      body = {sql: sql.value, enabled: enabled.checked, actions: parseJson(actions.value, 'Actions')};
      if (errorAction.value.trim()) {
        body.errorAction = parseJson(errorAction.value, 'Error action');
      }
    } catch (err) {
      replace(problem, h('p', {class: 'warn', 'data-role': 'rule-problem-text'}, err.message));
      return;
    }
    save.disabled = true;
    try {
      await put(rulePath(ruleName), body);
      ctx.notify(`Saved rule ${ruleName}.`);
      ctx.navigate(ruleHash(ruleName));
    } catch (err) {
      const detail = err instanceof ApiError && err.status === 400 ? err.problem.detail : null;
      const marks = sqlMarks(detail);
      replace(problem,
        h('p', {class: 'warn', 'data-role': 'rule-problem-text'}, detail ? `Refused: ${detail}` : describe(err)),
        marks.length ? markedSql(body.sql, marks) : null);
    } finally {
      save.disabled = false;
    }
  });
  (creating ? nameInput : sql).focus();
  return null;
}
