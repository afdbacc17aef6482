// The one door to the backend: JSON over fetch with the session cookie, the
// contract's error body turned into ApiError, and 401 sent to the sign-in page.

const BASE = '/api/v1';
const TIMEOUT_MS = 20000;

// Fallback messages for when a response carries no message of its own (a
// proxy's error page, a network failure). The server's message always wins.
const MESSAGES = {
  NETWORK: '网络连接失败，请检查网络后重试',
  TIMEOUT: '服务器响应超时，请稍后重试',
  BAD_REQUEST: '请求格式不正确',
  UNAUTHENTICATED: '登录已失效，请重新登录',
  FORBIDDEN: '您无权进行此操作',
  NOT_FOUND: '未找到相关信息',
  CONFLICT: '当前状态不允许此操作，请刷新后重试',
  TOO_LARGE: '内容过大',
  RATE_LIMITED: '操作过于频繁，请稍后再试',
  UNAVAILABLE: '服务暂时不可用，请稍后再试',
  INTERNAL: '系统繁忙，请稍后再试',
  VALIDATION_FAILED: '填写的信息有误，请检查后重试',
  INVALID_TRANSITION: '办件当前状态不允许此操作',
  VERSION_CONFLICT: '办件已被更新，请刷新后重试',
  IDEMPOTENCY_KEY_REUSED: '申请内容已变化，请返回确认页重新提交',
  BAD_CODE: '验证码不正确或已过期',
  INVALID_ID_NUMBER: '身份证号码格式或校验位不正确',
  IDENTITY_MISMATCH: '姓名与身份证号码不匹配，请核对',
  PHOTO_INVALID: '相片不符合要求，请重新上传',
  PHOTO_REQUIRED: '到期换领需要提供相片或相片回执号',
  ACTIVE_CASE_EXISTS: '您已有正在办理的申请，请在“我的办件”中查看',
  NOT_BOUND: '请先完成实名认证',
  MAIL_ADDRESS_REQUIRED: '请完整填写邮寄地址',
  UNKNOWN_STATION: '所选派出所不存在，请重新选择',
  KIND_NOT_ALLOWED: '您当前不符合该业务的网上办理条件',
  NOT_READY_FOR_PICKUP: '证件尚未到达受理点，暂不能领取',
};

const STATUS_CODES = {
  400: 'BAD_REQUEST', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND',
  409: 'CONFLICT', 413: 'TOO_LARGE', 422: 'VALIDATION_FAILED', 429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

/** An API failure: HTTP status (0 = no answer), the contract's code and a Chinese message. */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter = 0) {
    super(message || MESSAGES[code] || MESSAGES.INTERNAL);
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

/** The fallback message for a code. */
export function messageFor(code) {
  return MESSAGES[code] || MESSAGES.INTERNAL;
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
    throw new ApiError(0, code, MESSAGES[code]);
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
  const code = detail.code || STATUS_CODES[res.status] || (res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  const retryAfter = parseInt(res.headers.get('Retry-After') || '0', 10) || 0;
  let message = detail.message || MESSAGES[code];
  if (res.status === 429 && !detail.message && retryAfter) {
    message = `操作过于频繁，请${retryAfter}秒后再试`;
  }
  const err = new ApiError(res.status, code, message, retryAfter);
  if (err.unauthenticated && !opts.quiet401) onUnauthorized(err);
  return Promise.reject(err);
}

export const get = (path, opts) => api('GET', path, opts);
export const post = (path, body, opts = {}) => api('POST', path, { ...opts, body });

/** Path segment escaping for case numbers and the like. */
export const seg = (s) => encodeURIComponent(String(s));
