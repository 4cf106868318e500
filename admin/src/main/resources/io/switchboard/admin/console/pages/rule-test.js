// Testing a rule's statement against a sample message (POST /api/v1/rules/test): its output, that WHERE
// was not true, the failure, or why the statement is invalid, with the position marked in the SQL.
import {h, replace, field} from '../dom.js';
import {post, ApiError} from '../api.js';
import {editor, viewer, fromBase64, toBase64} from '../payload.js';
import {userPropertyRows} from '../forms.js';

/** The SQL's lines as the rules' SQL counts them: a line feed, CR LF or a lone CR ends one. */
function lines(sql) {
  return sql.split(/\r\n|\r|\n/);
}

/**
 * The SQL as text with positions marked: each line numbered, and under a line with marks, for each
 * mark a caret under its column (1-based, counted in code points, as the API counts) and the mark's
 * text. marks: [{line, column, text}].
 */
export function markSql(sql, marks) {
  const all = lines(sql);
  const width = String(all.length).length;
  const blank = `${' '.repeat(width)} | `;
  const out = [];
  all.forEach((line, i) => {
    out.push(`${String(i + 1).padStart(width)} | ${line}`);
    const chars = Array.from(line);
    marks.filter((m) => m.line === i + 1).sort((a, b) => a.column - b.column).forEach((m) => {
      // A tab stays a tab, so that the caret is under its character whatever the tab width.
      const before = chars.slice(0, Math.max(0, m.column - 1)).map((c) => (c === '\t' ? '\t' : ' ')).join('');
      const past = ' '.repeat(Math.max(0, m.column - 1 - chars.length));
      out.push(`${blank}${before}${past}^${m.text ? ` ${m.text}` : ''}`);
    });
  });
  return out.join('\n');
}

/** The SQL with positions marked, in a <pre> (text only). */
export function markedSql(sql, marks) {
  return h('pre', {class: 'payload sql-marked', 'data-role': 'sql-marked'}, markSql(sql, marks));
}

/** A topic a filter matches, for a sample: each wildcard level becomes "sample". */
export function sampleTopic(filter) {
  return filter ? filter.split('/').map((l) => (l === '+' || l === '#' ? 'sample' : l)).join('/') : '';
}

const position = (line, column) => `line ${line}, column ${column}`;

/** What the API answered for a sample, for people; `sql` and `topic` are those that were sent. */
function outcome(r, sql, topic) {
  const head = (cls, label) => h('div', {class: 'page-head'}, h('h3', null, 'Result'), h('span', {class: cls, 'data-role': 'test-outcome'}, label));
  const match = r.matches === undefined ? null : h('p', {
    class: r.matches ? 'outcome-ok' : 'outcome-bad', 'data-role': 'from-match', 'data-matches': String(r.matches),
  }, r.matches ? `FROM matches the topic ${topic}.`
    : `FROM does not match the topic ${topic}: a rule with this statement would not see this message.`);
  switch (r.result) {
    case 'output':
      return [head('badge ok', 'output'), match, r.output !== undefined
        ? h('pre', {class: 'payload', 'data-role': 'test-output'}, JSON.stringify(r.output, null, 2))
        : h('div', {'data-role': 'test-output-binary'},
          h('p', {class: 'muted'}, 'The output is not JSON (a binary payload passed through as it is):'),
          viewer(fromBase64(r.outputBase64 || ''), {format: 'base64'}))];
    case 'noOutput':
      return [head('badge warn', 'no output'), match,
        h('p', {'data-role': 'no-output'}, 'No output: WHERE was not true for this message, so a rule would run no action.')];
    case 'failure':
      return [head('badge bad', `failure: ${r.kind}`), match,
        h('p', {'data-role': 'failure'}, h('b', null, r.line ? position(r.line, r.column) : 'failure'), `: ${r.message}`),
        r.line ? markedSql(sql, [{line: r.line, column: r.column, text: r.kind}]) : null];
    case 'invalid': {
      const errors = r.errors || [];
      return [head('badge bad', 'invalid'),
        h('ul', {class: 'problems', 'data-role': 'sql-errors'}, errors.map((e) => h('li', null,
          h('b', null, position(e.line, e.column)), `: ${e.message}`, e.hint ? h('div', {class: 'muted'}, e.hint) : null))),
        markedSql(sql, errors.map((e) => ({line: e.line, column: e.column, text: e.message})))];
    }
    default:
      return h('p', {class: 'warn'}, `Unexpected answer: ${JSON.stringify(r)}`);
  }
}

/**
 * A card that runs a statement against a sample message: SQL, topic, payload (text, JSON, hex or
 * base64), user properties, client id and content type. use(sql, topic) fills it in.
 */
export function testPanel({sql = '', topic = '', payload = '', format = 'text', title = 'Test a statement'} = {}) {
  const sqlArea = h('textarea', {rows: 5, spellcheck: 'false', required: true, value: sql, 'data-role': 'test-sql',
    placeholder: 'SELECT ... FROM \'<topic filter>\' WHERE ...'});
  const topicInput = h('input', {value: topic, required: true, placeholder: 'e.g. rooms/attic/temp', 'data-role': 'test-topic'});
  const body = editor({rows: 4, role: 'test-payload'});
  body.area.value = payload;
  body.format.value = format;
  const userProps = userPropertyRows('test-user-properties');
  const clientId = h('input', {placeholder: 'optional', 'data-role': 'test-client-id'});
  const contentType = h('input', {placeholder: 'optional', 'data-role': 'test-content-type'});
  const error = h('p', {class: 'warn', 'data-role': 'test-error'});
  const run = h('button', {type: 'submit', class: 'primary', 'data-role': 'test-run'}, 'Run');
  const result = h('div', {'data-role': 'test-result'},
    h('p', {class: 'muted'}, 'Run the statement: its output, or why there is none, shows here.'));
  const form = h('form', {'data-role': 'test-form'},
    field('SQL', sqlArea),
    h('div', {class: 'form-grid spaced'}, h('div', {class: 'wide'}, field('Sample topic', topicInput)),
      field('Client id', clientId), field('Content type', contentType)),
    h('div', {class: 'spaced'}, body.root),
    h('fieldset', null, h('legend', null, 'User properties'), userProps.root),
    error, h('div', {class: 'row spaced'}, run));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    let bytes;
    try {
      bytes = body.value();
    } catch (err) {
      error.textContent = `Payload: ${err.message}`;
      return;
    }
    const request = {sql: sqlArea.value, topic: topicInput.value};
    if (bytes.length) {
      request.payloadBase64 = toBase64(bytes);
    }
    if (clientId.value) {
      request.clientId = clientId.value;
    }
    if (contentType.value) {
      request.contentType = contentType.value;
    }
    const props = userProps.value();
    if (props.length) {
      request.userProperties = props.map(([name, value]) => ({name, value}));
    }
    run.disabled = true;
    try {
      const r = await post('/api/v1/rules/test', request);
      result.dataset.result = r.result;
      replace(result, outcome(r, request.sql, request.topic));
    } catch (err) {
      result.dataset.result = 'error';
      replace(result, h('p', {class: 'warn', 'data-role': 'test-refused'}, err instanceof ApiError ? err.describe() : String(err)));
    } finally {
      run.disabled = false;
    }
  });

  const root = h('section', {class: 'card', 'data-role': 'rule-test'},
    h('h2', null, title),
    h('p', {class: 'muted'}, 'Runs a statement against a sample message, without defining a rule or sending anything.'),
    h('div', {class: 'workbench'}, form, result));
  return {
    root,
    use: (newSql, newTopic) => {
      sqlArea.value = newSql;
      if (newTopic !== undefined) {
        topicInput.value = newTopic;
      }
    },
  };
}
