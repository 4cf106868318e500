// The admin API (admin/src/main/resources/io/switchboard/admin/openapi.yaml), with the console's
// bearer token. The token lives in sessionStorage: it ends with the tab, and no other site can read it.

const TOKEN_KEY = 'switchboard.console.token';

/** A failed request: the HTTP status and the RFC 9457 problem details the API sends. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** "Not found: no client 'x'", for people. */
  describe() {
    const title = this.problem.title || `HTTP ${this.status}`;
    return this.problem.detail ? `${title}: ${this.problem.detail}` : title;
  }
}

const listeners = new Set();

/** Called with no argument when the API answers 401: the token ended, or was never there. */
export function onUnauthorized(fn) {
  listeners.add(fn);
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(t) {
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** A query string from an object, leaving out empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== null && v !== undefined && v !== '') {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/**
 * One request. Resolves to the parsed JSON body (null for 204); rejects with ApiError.
 * `auth: false` sends no token (sign-in).
 */
export async function request(method, path, {params, body, auth = true} = {}) {
  const headers = {Accept: 'application/json'};
  const t = auth ? token() : null;
  if (t) {
    headers.Authorization = `Bearer ${t}`;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(path + query(params), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, {title: 'The broker cannot be reached', detail: String(e.message || e)});
  }
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  let json = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = response.ok ? null : {title: `HTTP ${response.status}`, detail: text.slice(0, 300)};
    }
  }
  if (!response.ok) {
    if (response.status === 401 && auth) {
      setToken(null);
      listeners.forEach((fn) => fn());
    }
    throw new ApiError(response.status, json);
  }
  return json;
}

export const get = (path, params) => request('GET', path, {params});
export const post = (path, body, params) => request('POST', path, {body, params});
export const put = (path, body, params) => request('PUT', path, {body, params});
export const del = (path, params) => request('DELETE', path, {params});

/** A client id as one path segment. */
export const clientPath = (clientId) => `/api/v1/clients/${encodeURIComponent(clientId)}`;
