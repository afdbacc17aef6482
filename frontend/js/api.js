// The one door to the backend: JSON over fetch with the session cookie, the
// contract's error body turned into ApiError, and 401 sent to the sign-in page.

const BASE = '/api/v1';
const TIMEOUT_MS = 20000;

// What the H5 says when no answer of the server's reached it: a network
// failure, a timeout, or a response without the contract's error body (a
// proxy's error page). Every other message is the server's error.message.
const NO_ANSWER = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '服务器响应超时，请稍后重试',
};
const noBody = (status) => `服务器未能正常答复（HTTP ${status}），请稍后重试`;

/** An API failure: HTTP status (0 = no answer), the contract's code and a Chinese message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = 0) {
    super(message || noBody(status));
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** True for the 401 that means "no session" (not a wrong SMS code). */
  get unauthenticated() {
    return this.status === 401 && this.code === 'UNAUTHENTICATED';
  }
}

let onUnauthorized = () => {};

/** Registers what happens when the session is gone (the app sends the user to 登录). */
export function setUnauthorizedHandler(fn) {
  onUnauthorized = fn;
}

/**
 * Calls the API. opts: body (JSON), form (FormData), headers, query,
 * quiet401 (let the caller handle 401 instead of redirecting).
 * Resolves to the parsed JSON (null for 204); rejects with ApiError.
 */
export async function api(method, path, opts = {}) {
  let url = BASE + path;
  if (opts.query) {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) {
      if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    }
    const s = q.toString();
    if (s) url += (url.includes('?') ? '&' : '?') + s;
  }
  const headers = { Accept: 'application/json', ...(opts.headers || {}) };
  let body;
  if (opts.form) {
    body = opts.form; // the browser sets the multipart boundary
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }

  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), opts.timeout || TIMEOUT_MS);
  let res;
  try {
    res = await fetch(url, {
      method, headers, body,
      credentials: 'same-origin',
      cache: 'no-store',
      signal: ctrl.signal,
    });
  } catch (e) {
    const code = e && e.name === 'AbortError' ? 'TIMEOUT' : 'NETWORK';
    throw new ApiError(0, code, NO_ANSWER[code]);
  } finally {
    clearTimeout(timer);
  }

  if (res.status === 204) return null;
  const isJSON = (res.headers.get('Content-Type') || '').includes('json');
  let data = null;
  if (isJSON) {
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  }
  if (res.ok) return data;

  const detail = (data && data.error) || {};
  const retryAfter = parseInt(res.headers.get('Retry-After') || '0', 10) || 0;
  const err = new ApiError(res.status, detail.code || '', detail.message || noBody(res.status), retryAfter);
  if (err.unauthenticated && !opts.quiet401) onUnauthorized(err);
  return Promise.reject(err);
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body });

/** Path segment escaping for case numbers and the like. */
export const seg = (s) => encodeURIComponent(String(s));
