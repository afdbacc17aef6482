// The test kit for the mini-program: the real pages (frontend/miniprogram)
// rendered by miniprogram-simulate + j-component in jsdom, wx.request /
// wx.uploadFile / wx.downloadFile routed to a real `idcard serve`
// (IDCARD_MP_SERVER), and only the device APIs stubbed: wx.login gives a
// dev: code, the face check the demo result, wx.chooseMedia a generated
// GA 461 JPEG (IDCARD_MP_PHOTO), wx.chooseAddress a fixed address.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const assert = require('node:assert');
const { JSDOM } = require('jsdom');

const ROOT = path.resolve(__dirname, '../miniprogram');
const APPID = JSON.parse(fs.readFileSync(path.join(ROOT, 'project.config.json'), 'utf8')).appid;
const SERVER = process.env.IDCARD_MP_SERVER;
if (!SERVER) throw new Error('IDCARD_MP_SERVER is not set: these tests run from `go test ./backend/cmd/idcard` (make test), which starts the server');

// ---- a DOM for j-component ----
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
for (const k of ['window', 'document', 'navigator', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'MutationObserver', 'getComputedStyle', 'requestAnimationFrame']) {
  Object.defineProperty(global, k, { value: dom.window[k], configurable: true, writable: true });
}

// ---- the device and the network, as a test sees them ----

/** What the stubs did and will do; reset per test by newDevice(). */
const device = {
  storage: new Map(),
  nav: [], // {how, url}
  requests: [], // {method, path}
  modals: [], // {title, content}
  toasts: [],
  subscribeAsked: [],
  payments: [], // what wx.requestPayment was called with
  brightness: [],
  keepScreenOn: [],
  clipboard: '',
  wxName: 'mp-test',
  faceResult: 'dev:pass',
  faceFails: false, // the device cannot run the face check (as in DevTools)
  actionSheets: [], // {alertText, itemList}
  actionSheetIndex: 0,
  wxLogins: 0,
  subscribeAnswer: 'reject',
  modalConfirm: true,
  photoPath: process.env.IDCARD_MP_PHOTO || '',
  address: null,
  downloads: [], // temp files written by wx.downloadFile
  pageErrors: [],
  offline: false, // every request fails as without a network
  loseAnswerOf: '', // "POST /api/v1/cases": the next such request reaches the server, its answer is lost
};

function newDevice(name) {
  device.storage = new Map();
  device.nav = [];
  device.requests = [];
  device.modals = [];
  device.toasts = [];
  device.subscribeAsked = [];
  device.payments = [];
  device.brightness = [];
  device.keepScreenOn = [];
  device.clipboard = '';
  device.wxName = name;
  device.faceResult = 'dev:pass';
  device.faceFails = false;
  device.actionSheets = [];
  device.actionSheetIndex = 0;
  device.wxLogins = 0;
  device.subscribeAnswer = 'reject';
  device.modalConfirm = true;
  device.pageErrors = [];
  device.loseAnswerOf = '';
  device.offline = false;
  return device;
}

const call = (o, fn, arg) => { if (o && typeof o[fn] === 'function') o[fn](arg); };
const done = (o, res) => { call(o, 'success', res); call(o, 'complete', res); };
const failed = (o, res) => { call(o, 'fail', res); call(o, 'complete', res); };

/** Maps a mini-program URL to the test server; anything else is a test failure. */
function serverURL(u) {
  const base = require(path.join(ROOT, 'config.js')).apiBase;
  assert.ok(u.startsWith(base + '/api/v1/'), `the mini-program called ${u}, outside its configured API (${base})`);
  const rest = u.slice(base.length);
  device.requests.push({ path: rest.split('?')[0] });
  return SERVER + rest;
}

// wx.downloadFile's temporary files, removed when the test process ends.
const downloadDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mp-dl-'));
process.on('exit', () => fs.rmSync(downloadDir, { recursive: true, force: true }));

const headerObject = (h) => { const o = {}; h.forEach((v, k) => { o[k] = v; }); return o; };
// What WeChat adds to every request of a mini-program: a Referer naming the
// app id, no Origin.
const cleanHeader = (h) => {
  const o = { Referer: `https://servicewechat.com/${APPID}/0/page-frame.html` };
  Object.keys(h || {}).forEach((k) => { if (h[k] !== undefined) o[k] = h[k]; });
  return o;
};

const stubs = {
  // storage
  getStorageSync: (k) => (device.storage.has(k) ? JSON.parse(device.storage.get(k)) : ''),
  setStorageSync: (k, v) => { device.storage.set(k, JSON.stringify(v)); },
  removeStorageSync: (k) => { device.storage.delete(k); },
  clearStorageSync: () => { device.storage.clear(); },
  getStorageInfoSync: () => ({ keys: [...device.storage.keys()] }),

  // network → the real server
  request(o) {
    if (device.offline) { setTimeout(() => failed(o, { errMsg: 'request:fail -2:net::ERR_INTERNET_DISCONNECTED' }), 0); return; }
    const method = (o.method || 'GET').toUpperCase();
    let url;
    try { url = serverURL(o.url); } catch (e) { device.pageErrors.push(e); failed(o, { errMsg: 'request:fail' }); return; }
    const rec = device.requests[device.requests.length - 1];
    rec.method = method;
    rec.idempotencyKey = (o.header || {})['Idempotency-Key'] || '';
    const lose = device.loseAnswerOf === `${method} ${rec.path}`;
    if (lose) device.loseAnswerOf = '';
    const header = cleanHeader(o.header);
    const init = { method, headers: header };
    if (o.data !== undefined && method !== 'GET') init.body = typeof o.data === 'string' ? o.data : JSON.stringify(o.data);
    fetch(url, init).then(async (res) => {
      const text = await res.text();
      if (lose) { failed(o, { errMsg: 'request:fail timeout' }); return; }
      let data = text;
      if ((res.headers.get('content-type') || '').includes('json')) { try { data = JSON.parse(text); } catch (e) { /* keep text */ } }
      done(o, { statusCode: res.status, data, header: headerObject(res.headers) });
    }, (err) => failed(o, { errMsg: `request:fail ${err.message}` }));
  },
  uploadFile(o) {
    let url;
    try { url = serverURL(o.url); } catch (e) { device.pageErrors.push(e); failed(o, { errMsg: 'uploadFile:fail' }); return; }
    device.requests[device.requests.length - 1].method = 'POST';
    const form = new FormData();
    form.append(o.name, new Blob([fs.readFileSync(o.filePath)], { type: 'image/jpeg' }), path.basename(o.filePath));
    fetch(url, { method: 'POST', headers: cleanHeader(o.header), body: form }).then(async (res) => {
      done(o, { statusCode: res.status, data: await res.text() });
    }, (err) => failed(o, { errMsg: `uploadFile:fail ${err.message}` }));
  },
  downloadFile(o) {
    let url;
    try { url = serverURL(o.url); } catch (e) { device.pageErrors.push(e); failed(o, { errMsg: 'downloadFile:fail' }); return; }
    device.requests[device.requests.length - 1].method = 'GET';
    fetch(url, { headers: cleanHeader(o.header) }).then(async (res) => {
      const file = path.join(downloadDir, `tmp-${device.downloads.length}.png`);
      fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
      device.downloads.push(file);
      done(o, { statusCode: res.status, tempFilePath: file, header: headerObject(res.headers) });
    }, (err) => failed(o, { errMsg: `downloadFile:fail ${err.message}` }));
  },

  // device APIs
  login: (o) => { device.wxLogins++; setTimeout(() => done(o, { code: `dev:${device.wxName}`, errMsg: 'login:ok' }), 0); },
  startFacialRecognitionVerify: (o) => setTimeout(() => {
    assert.ok(o.name && o.idCardNumber, 'the face check was started without name and idCardNumber');
    if (device.faceFails) failed(o, { errCode: 10001, errMsg: 'startFacialRecognitionVerify:fail' });
    else done(o, { errCode: 0, verifyResult: device.faceResult });
  }, 0),
  chooseMedia: (o) => setTimeout(() => {
    const size = fs.statSync(device.photoPath).size;
    done(o, { type: 'image', tempFiles: [{ tempFilePath: device.photoPath, size, fileType: 'image' }] });
  }, 0),
  chooseAddress: (o) => setTimeout(() => (device.address ? done(o, Object.assign({ errMsg: 'chooseAddress:ok' }, device.address)) : failed(o, { errMsg: 'chooseAddress:fail cancel' })), 0),
  requestPayment: (o) => setTimeout(() => {
    device.payments.push(o);
    for (const k of ['timeStamp', 'nonceStr', 'package', 'signType', 'paySign']) assert.ok(o[k], `wx.requestPayment without ${k}`);
    done(o, { errMsg: 'requestPayment:ok' });
  }, 0),
  requestSubscribeMessage: (o) => setTimeout(() => {
    device.subscribeAsked.push(o.tmplIds);
    const r = { errMsg: 'requestSubscribeMessage:ok' };
    (o.tmplIds || []).forEach((id) => { r[id] = device.subscribeAnswer; });
    done(o, r);
  }, 0),
  getScreenBrightness: (o) => setTimeout(() => done(o, { value: 0.4 }), 0),
  setScreenBrightness: (o) => { device.brightness.push(o.value); setTimeout(() => done(o, {}), 0); },
  setKeepScreenOn: (o) => { device.keepScreenOn.push(o.keepScreenOn); setTimeout(() => done(o, {}), 0); },
  setClipboardData: (o) => { device.clipboard = o.data; setTimeout(() => done(o, {}), 0); },
  makePhoneCall: (o) => setTimeout(() => done(o, {}), 0),
  openLocation: (o) => setTimeout(() => done(o, {}), 0),

  // UI
  showToast: (o) => { device.toasts.push(o.title); setTimeout(() => done(o, {}), 0); },
  showLoading: (o) => setTimeout(() => done(o, {}), 0),
  hideLoading: (o) => setTimeout(() => done(o, {}), 0),
  showModal: (o) => {
    device.modals.push({ title: o.title, content: o.content });
    setTimeout(() => done(o, { confirm: o.showCancel === false ? true : device.modalConfirm, cancel: o.showCancel === false ? false : !device.modalConfirm }), 0);
  },
  showActionSheet: (o) => {
    device.actionSheets.push({ alertText: o.alertText, itemList: o.itemList });
    setTimeout(() => done(o, { tapIndex: device.actionSheetIndex }), 0);
  },
  stopPullDownRefresh: (o) => setTimeout(() => done(o, {}), 0),
  setTabBarBadge: (o) => setTimeout(() => done(o, {}), 0),
  removeTabBarBadge: (o) => setTimeout(() => done(o, {}), 0),
  setNavigationBarTitle: (o) => setTimeout(() => done(o, {}), 0),

  // navigation: recorded; a test opens the next page itself
  navigateTo: (o) => { device.nav.push({ how: 'navigateTo', url: o.url }); setTimeout(() => done(o, {}), 0); },
  redirectTo: (o) => { device.nav.push({ how: 'redirectTo', url: o.url }); setTimeout(() => done(o, {}), 0); },
  switchTab: (o) => { device.nav.push({ how: 'switchTab', url: o.url }); setTimeout(() => done(o, {}), 0); },
  reLaunch: (o) => { device.nav.push({ how: 'reLaunch', url: o.url }); setTimeout(() => done(o, {}), 0); },
  navigateBack: (o) => { device.nav.push({ how: 'navigateBack', url: '' }); setTimeout(() => done(o, {}), 0); },
};

// What the framework reports with console.error (a template or event
// handler failing) counts as a page error.
const consoleError = console.error.bind(console);
console.error = (...args) => { device.pageErrors.push(args.map(String).join(' ')); consoleError(...args); };

global.wx = stubs;
const simulate = require('miniprogram-simulate');
Object.assign(global.wx, stubs); // simulate merges its mocks under ours
global.getApp = () => ({ globalData: {} });

// The mini-program talks to the test server under its configured base.
require(path.join(ROOT, 'config.js'));

// ---- pages ----

const app = JSON.parse(fs.readFileSync(path.join(ROOT, 'app.json'), 'utf8'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value (up to 30 s, a bound for a loaded CI machine, not a timing check); fails with what. */
async function waitFor(fn, what) {
  const until = Date.now() + 30000;
  let last;
  for (;;) {
    try { last = fn(); } catch (e) { last = undefined; }
    if (last) return last;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A page opened as WeChat would: loaded, rendered, attached, onLoad(query) and onShow(). */
class PageHandle {
  constructor(url) {
    const [route, qs] = url.replace(/^\//, '').split('?');
    assert.ok(app.pages.includes(route), `${route} is not listed in app.json`);
    this.route = route;
    this.query = {};
    (qs || '').split('&').filter(Boolean).forEach((kv) => {
      const [k, v] = kv.split('=');
      this.query[k] = v === undefined ? '' : v; // as WeChat hands them: not decoded
    });
    // weui-miniprogram's bundles register their components once per module
    // load (a webpack runtime caches them): load them afresh for each page.
    const npm = path.join(ROOT, 'miniprogram_npm') + path.sep;
    Object.keys(require.cache).forEach((k) => { if (k.startsWith(npm)) delete require.cache[k]; });
    const id = simulate.load(path.join(ROOT, route), { compiler: 'simulate', rootPath: ROOT });
    this.comp = simulate.render(id);
    this.parent = document.createElement('parent-wrapper');
    this.comp.attach(this.parent);
    this.page = this.comp.instance;
  }

  async open() {
    await this.page.onLoad(Object.assign({}, this.query));
    if (typeof this.page.onShow === 'function') await this.page.onShow();
    return this;
  }

  get data() { return this.comp.data; }

  text() { return this.comp.dom.textContent.replace(/\s+/g, ' '); }

  q(sel) { return this.comp.querySelector(sel); }

  has(sel) { return Boolean(this.comp.querySelector(sel)); }

  textOf(sel) {
    const el = this.comp.querySelector(sel);
    assert.ok(el, `${this.route}: no ${sel}`);
    return el.dom.textContent.replace(/\s+/g, ' ').trim();
  }

  /** Waits for a selector, or for the page to show a text. */
  async see(selOrText) {
    if (selOrText.startsWith('#') || selOrText.startsWith('.')) await waitFor(() => this.has(selOrText), `${this.route}: ${selOrText}`);
    else await waitFor(() => this.text().includes(selOrText), `${this.route}: the text ${selOrText} (page shows: ${this.text().slice(0, 300)})`);
    return this;
  }

  async tap(sel) {
    const el = await waitFor(() => this.q(sel), `${this.route}: ${sel} to tap`);
    el.dispatchEvent('tap');
    await sleep(10);
  }

  async input(sel, value) {
    const el = await waitFor(() => this.q(sel), `${this.route}: ${sel} to type into`);
    el.dispatchEvent('input', { detail: { value } });
    await sleep(10);
  }

  /** A picker or a radio group changing to value. */
  async change(sel, value) {
    const el = await waitFor(() => this.q(sel), `${this.route}: ${sel} to change`);
    el.dispatchEvent('change', { detail: { value } });
    await sleep(10);
  }

  /** Waits until the page's data satisfies fn. */
  async until(fn, what) { await waitFor(() => fn(this.data), `${this.route}: ${what}`); return this; }

  /**
   * Keeps the rendered WXML of the page with its styles (app.wxss, WeUI and
   * the page's own) as artifacts/miniprogram/<name>.html, for a person to
   * look at; rpx are px there, so view it 750 px wide.
   */
  snapshot(name) {
    const dir = path.resolve(__dirname, '../../artifacts/miniprogram');
    fs.mkdirSync(dir, { recursive: true });
    const pageCSS = wxTags([...document.querySelectorAll('head style')].map((st) => st.innerHTML).join('\n'));
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>${this.route}</title><style>
wx-view, wx-button, wx-form, wx-picker, wx-textarea, wx-input, wx-image, wx-navigator { display: block; }
wx-button { text-align: center; } wx-image { width: 240px; height: 240px; background: #eee; }
wx-icon { display: inline-block; width: 40px; height: 40px; border-radius: 50%; background: #07c160; vertical-align: middle; }
wx-switch { display: inline-block; width: 80px; height: 40px; border-radius: 20px; background: #ddd; }
body { margin: 0; width: 750px; background: #f5f6f8; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 30px; }
</style><style>${appCSS()}</style><style>${pageCSS}</style></head><body>${this.comp.dom.outerHTML}</body></html>`;
    fs.writeFileSync(path.join(dir, `${name}.html`), html);
  }

  close() {
    if (typeof this.page.onUnload === 'function') this.page.onUnload();
    this.comp.detach();
  }
}

let appCSSText = null;

/** app.wxss (with WeUI) as the simulator prefixes a page's classes. */
function appCSS() {
  if (appCSSText === null) {
    const wxss = require('miniprogram-simulate/src/wxss.js');
    appCSSText = wxTags(wxss.compile(wxss.getContent(path.join(ROOT, 'app.wxss')), { prefix: 'main' }).replace(/(\d+)rpx/g, '$1px'));
  }
  return appCSSText;
}

// The components a snapshot draws as wx-* elements, as WeChat's own web
// view does; `page` is the document's body there.
const WX_TAGS = 'view|text|button|input|textarea|label|picker|navigator|image|icon|switch|radio|checkbox|form|scroll-view';

/**
 * Turns WXSS tag selectors (view, button, page) into the elements a
 * snapshot has (wx-view, wx-button, body), as WeChat compiles them, so that
 * a rule such as `.elder view` styles the snapshot as it styles the phone.
 */
function wxTags(css) {
  return css.replace(/(^|[{}])([^{}]*)\{/g, (all, end, sel) => `${end}${sel
    .replace(new RegExp(`(^|[\\s,>+~(])(${WX_TAGS})(?=[\\s,.:[>+~)]|$)`, 'g'), '$1wx-$2')
    .replace(/(^|[\s,>+~(])page(?=[\s,.:[>+~)]|$)/g, '$1body')}{`);
}

let currentPage = null;

async function open(url) {
  currentPage = new PageHandle(url);
  return currentPage.open();
}

/** The page opened last. */
const current = () => currentPage;

/** The last navigation the pages asked for. */
function lastNav() { return device.nav[device.nav.length - 1] || {}; }

/** Waits for the page to navigate (a new entry after `from`) and returns it. */
async function navigated(from, what) {
  return waitFor(() => device.nav.length > from && device.nav[device.nav.length - 1], what || 'a navigation');
}

// ---- the staff API, as an outside system uses it ----

const staffTokens = {};

async function staff(user, p, body) {
  if (!staffTokens[user]) {
    const r = await fetch(`${SERVER}/api/v1/staff/auth/login`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: user, password: process.env.IDCARD_MP_STAFF_PASSWORD || 'demo1234' }),
    });
    const text = await r.text();
    assert.equal(r.status, 200, `staff sign-in of ${user}: ${r.status} ${text}`);
    staffTokens[user] = JSON.parse(text).token;
  }
  const r = await fetch(SERVER + p, {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${staffTokens[user]}` },
    body: JSON.stringify(body || {}),
  });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { /* not JSON */ }
  return { status: r.status, json, text };
}

async function mustStaff(user, p, body, wantStatus) {
  const r = await staff(user, p, body);
  assert.equal(r.status, 200, `${user} ${p}: ${r.status} ${r.text}`);
  if (wantStatus) assert.equal(r.json.status, wantStatus, `${user} ${p}: ${r.text}`);
  return r.json;
}

/** The S10 (UPU) tracking number with its check digit, e.g. EA12345678?CN. */
function s10(prefix, serial, country) {
  const d = String(serial).padStart(8, '0');
  const w = [8, 6, 4, 2, 3, 5, 9, 7];
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(d[i]) * w[i];
  let c = 11 - (sum % 11);
  if (c === 10) c = 0;
  if (c === 11) c = 5;
  return `${prefix}${d}${c}${country}`;
}

module.exports = { current, ROOT, SERVER, app, device, newDevice, open, waitFor, sleep, lastNav, navigated, staff, mustStaff, s10, simulate };
