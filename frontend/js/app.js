// The citizen H5: a hash router over page modules. Each page module exports
// render(ctx) that fills ctx.root and may return a cleanup function.

import { setUnauthorizedHandler, get } from './api.js';
import { h, mount, loadingBlock, errorBlock, showError } from './ui.js';
import { loadMe, clearSession } from './store.js';
import { applyMode } from './mode.js';


// page: loads the page module when its route first opens (a dynamic
// import, so the sign-in page loads none of the others).
// auth: 'none' (public), 'user' (signed in), 'bound' (signed in and bound).
// tab: which tab bar item is lit; no tab = the tab bar is hidden.
const ROUTES = [
  { path: '/login', page: () => import('./pages/login.js'), auth: 'none', title: '登录' },
  { path: '/bind', page: () => import('./pages/bind.js'), auth: 'user', title: '实名认证' },
  { path: '/verify/demo', page: () => import('./pages/verify-demo.js'), auth: 'user', title: '人脸核身（演示）' },
  { path: '/', page: () => import('./pages/home.js'), auth: 'user', title: '居民身份证网上办理', tab: 'home' },
  { path: '/apply', page: () => import('./pages/apply-kind.js'), auth: 'bound', title: '选择办理类型' },
  { path: '/apply/station', page: () => import('./pages/apply-station.js'), auth: 'bound', title: '选择派出所' },
  { path: '/apply/collection', page: () => import('./pages/apply-collection.js'), auth: 'bound', title: '邮寄到家' },
  { path: '/apply/photo', page: () => import('./pages/apply-photo.js'), auth: 'bound', title: '提供相片' },
  { path: '/apply/confirm', page: () => import('./pages/apply-confirm.js'), auth: 'bound', title: '确认申请' },
  { path: '/apply/done/:no', page: () => import('./pages/apply-done.js'), auth: 'bound', title: '提交成功' },
  { path: '/cases', page: () => import('./pages/cases.js'), auth: 'user', title: '我的办件', tab: 'cases' },
  { path: '/cases/:no', page: () => import('./pages/case-detail.js'), auth: 'user', title: '办件详情' },
  { path: '/cases/:no/pickup', page: () => import('./pages/pickup.js'), auth: 'user', title: '领证二维码' },
  { path: '/messages', page: () => import('./pages/messages.js'), auth: 'user', title: '消息', tab: 'messages' },
  { path: '/me', page: () => import('./pages/me.js'), auth: 'user', title: '我的', tab: 'me' },
  { path: '/me/wards', page: () => import('./pages/wards.js'), auth: 'bound', title: '我的被监护人' },
  { path: '/cases/:no/change', page: () => import('./pages/case-change.js'), auth: 'user', title: '变更领证信息' },
  { path: '/progress', page: () => import('./pages/progress.js'), auth: 'none', title: '办件进度查询' },
];

const TABS = [
  { key: 'home', hash: '#/', label: '首页', icon: 'home' },
  { key: 'cases', hash: '#/cases', label: '我的办件', icon: 'cases' },
  { key: 'messages', hash: '#/messages', label: '消息', icon: 'messages' },
  { key: 'me', hash: '#/me', label: '我的', icon: 'me' },
];

const appEl = document.getElementById('app');
const tabbarEl = document.getElementById('tabbar');
let cleanup = null;
let seq = 0;

/** Parses location.hash into {path, query}. */
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(qs || '') };
}

function match(path) {
  for (const r of ROUTES) {
    const names = [];
    const re = new RegExp('^' + r.path.replace(/:[a-z]+/g, (m) => { names.push(m.slice(1)); return '([^/]+)'; }) + '/?$');
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { route: r, params };
    }
  }
  return null;
}

/** Navigates to a hash; replace avoids a history entry (redirects). */
export function go(hash, { replace = false } = {}) {
  if (!hash.startsWith('#')) hash = '#' + hash;
  if (location.hash === hash) {
    render();
  } else if (replace) {
    history.replaceState(null, '', hash);
    render();
  } else {
    location.hash = hash;
  }
}

/** The current path (for ?next= after sign-in). */
function currentPath() {
  return location.hash.replace(/^#/, '') || '/';
}

function toLogin() {
  const here = currentPath();
  const next = here.startsWith('/login') ? '' : `?next=${encodeURIComponent(here)}`;
  go(`#/login${next}`, { replace: true });
}

setUnauthorizedHandler(() => {
  clearSession();
  if (!parseHash().path.startsWith('/login')) toLogin();
});

function renderTabbar(active, unread) {
  if (!active) {
    tabbarEl.classList.add('is-hidden');
    document.body.classList.remove('has-tabbar');
    return;
  }
  tabbarEl.classList.remove('is-hidden');
  document.body.classList.add('has-tabbar');
  mount(tabbarEl, TABS.map((t) => h('a', {
    href: t.hash,
    id: `tab-${t.key}`,
    'data-test': `tab-${t.key}`,
    class: ['weui-tabbar__item', t.key === active ? 'weui-bar__item_on' : ''],
    'aria-current': t.key === active ? 'page' : null,
  },
  h('span', { class: 'tab-icon-wrap' },
    h('span', { class: `tab-icon tab-icon_${t.icon}`, 'aria-hidden': 'true' }),
    t.key === 'messages' && unread > 0 ? h('span', { class: 'weui-badge tab-badge', 'data-test': 'unread-badge' }, unread > 99 ? '99+' : String(unread)) : null),
  h('span', { class: 'weui-tabbar__label' }, t.label))));
}

let unreadCount = 0;

/** Updates the unread badge on the 消息 tab (pages call it after loading messages). */
export function setUnread(n) {
  unreadCount = n;
  const { route } = match(parseHash().path) || {};
  if (route && route.tab) renderTabbar(route.tab, unreadCount);
}

async function refreshUnread() {
  try {
    const r = await get('/notifications', { quiet401: true });
    setUnread((r.items || []).filter((n) => !n.read).length);
  } catch { /* the badge is a nicety */ }
}

async function render() {
  const my = ++seq;
  if (cleanup) {
    try { cleanup(); } catch { /* ignore */ }
    cleanup = null;
  }
  const { path, query } = parseHash();
  const found = match(path);
  const root = h('main', { class: 'page', id: 'page' });
  mount(appEl, root);
  document.body.className = document.body.className.replace(/\bpage-\S+/g, '').trim();
  window.scrollTo(0, 0);

  if (!found) {
    renderTabbar(null);
    mount(root, errorBlock({ message: '页面不存在' }, () => go('#/')));
    return;
  }
  const { route, params } = found;
  root.dataset.page = route.path;
  document.title = route.title === '居民身份证网上办理' ? route.title : `${route.title} - 居民身份证网上办理`;
  document.body.classList.add(`page-${route.path.split('/')[1] || 'home'}`);

  let me = null;
  if (route.auth !== 'none') {
    root.appendChild(loadingBlock());
    try {
      me = await loadMe();
    } catch (err) {
      if (my !== seq) return;
      if (err.unauthenticated) {
        clearSession();
        toLogin();
        return;
      }
      renderTabbar(null);
      mount(root, errorBlock(err, () => render()));
      return;
    }
    if (my !== seq) return;
    if (route.auth === 'bound' && !me.bound) {
      go(`#/bind?next=${encodeURIComponent(currentPath())}`, { replace: true });
      return;
    }
    root.replaceChildren();
  }
  renderTabbar(route.tab, unreadCount);
  // The home and 消息 pages count unread messages themselves.
  if (route.tab && me && route.tab !== 'home' && route.tab !== 'messages') refreshUnread();

  const ctx = {
    root, params, query, me, go,
    alive: () => my === seq,
    rerender: () => { if (my === seq) render(); },
    setUnread,
  };
  try {
    const page = await route.page();
    if (my !== seq) return;
    const c = await page.render(ctx);
    if (typeof c === 'function') {
      if (my === seq) cleanup = c; else c();
    }
  } catch (err) {
    if (my !== seq || err.unauthenticated) return;
    mount(root, errorBlock(err, () => render()));
  }
  if (my === seq) {
    root.dataset.ready = 'true'; // a hook for browser tests: the page has loaded
    const title = root.querySelector('h1');
    if (title && document.activeElement === document.body) title.focus({ preventScroll: true });
  }
}

// A hash change fires hashchange (and popstate); navigating to the very same
// URL fires popstate only. Either way, render once.
let scheduled = false;
const schedule = () => {
  if (scheduled) return;
  scheduled = true;
  setTimeout(() => { scheduled = false; render(); }, 0);
};
window.addEventListener('hashchange', schedule);
window.addEventListener('popstate', schedule);
window.addEventListener('unhandledrejection', (e) => {
  if (e.reason && e.reason.name === 'ApiError') {
    e.preventDefault();
    showError(e.reason);
  }
});
applyMode();
render();
