// 领证二维码: a full-screen QR code of a fresh pickup token, refreshed before
// it expires (and every few minutes), with the station's address and hours.

import { get, seg } from '../api.js';
import { h, mount, loadingBlock } from '../ui.js';
import { fmtClock, fmtDate, fmtDateTime } from '../format.js';
import { caseDueProvisional } from '../provisional.js';

const REFRESH_EVERY_MS = 3 * 60 * 1000; // at the latest
const REFRESH_BEFORE_MS = 30 * 1000; // before the token expires
const MIN_DELAY_MS = 10 * 1000;

export async function render(ctx) {
  const { root, params } = ctx;
  const no = params.no;
  document.body.classList.add('page-pickup');
  mount(root, loadingBlock());

  let timer = 0;
  let countdown = 0;
  let expiresAt = 0;
  let wakeLock = null;
  let stopped = false;

  const c = await get(`/cases/${seg(no)}`).catch((e) => {
    if (e.status === 404) return null;
    throw e;
  });
  if (!ctx.alive()) return;
  if (!c) { ctx.go('#/cases', { replace: true }); return; }

  const station = c.station || {};
  const img = h('img', { class: 'qr__img', id: 'pickup-qr', 'data-test': 'pickup-qr', alt: '领证二维码', width: '264', height: '264' });
  const imgWrap = h('div', { class: 'qr__frame is-loading' }, img, h('i', { class: 'weui-loading qr__spinner', 'aria-hidden': 'true' }));
  const status = h('p', { class: 'qr__status', id: 'pickup-qr-status', 'data-test': 'pickup-qr-status', role: 'status' }, '正在生成二维码…');
  const refreshBtn = h('button', { type: 'button', class: 'weui-btn weui-btn_mini weui-btn_default', id: 'btn-refresh-qr', 'data-test': 'refresh-qr' }, '刷新二维码');
  const body = h('div', { class: 'qr__body' }, imgWrap, status, refreshBtn);

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(countdown);
  };

  const showGone = (title, desc) => {
    stop();
    mount(body, h('div', { class: 'weui-msg qr__gone', 'data-test': 'pickup-unavailable' },
      h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-info weui-icon_msg' })),
      h('div', { class: 'weui-msg__text-area' },
        h('h2', { class: 'weui-msg__title' }, title),
        h('p', { class: 'weui-msg__desc' }, desc))));
  };

  const tickStatus = () => {
    if (!expiresAt) return;
    const ms = expiresAt - Date.now();
    if (ms <= 0) { status.textContent = '二维码已过期，正在刷新…'; return; }
    const s = Math.round(ms / 1000);
    const left = s >= 3600 ? `${Math.floor(s / 3600)}小时${Math.floor((s % 3600) / 60)}分` : s >= 60 ? `${Math.floor(s / 60)}分${s % 60}秒` : `${s}秒`;
    const until = s >= 12 * 3600 ? fmtDateTime(new Date(expiresAt).toISOString()) : fmtClock(new Date(expiresAt).toISOString());
    status.textContent = `二维码有效至 ${until}（剩余${left}），将自动刷新`;
  };

  const refresh = async () => {
    if (stopped) return;
    clearTimeout(timer);
    imgWrap.classList.add('is-loading');
    refreshBtn.disabled = true;
    try {
      const t = await get(`/cases/${seg(no)}/pickup-token`);
      if (!ctx.alive() || stopped) return;
      // The PNG encodes its own fresh token, issued now: its expiry is this one's.
      img.src = `/api/v1/cases/${encodeURIComponent(no)}/pickup-qr.png?t=${Date.now()}`;
      expiresAt = Date.parse(t.expires_at) || Date.now() + REFRESH_EVERY_MS;
      tickStatus();
      const delay = Math.max(MIN_DELAY_MS, Math.min(REFRESH_EVERY_MS, expiresAt - Date.now() - REFRESH_BEFORE_MS));
      timer = setTimeout(refresh, delay);
    } catch (e) {
      if (!ctx.alive() || e.unauthenticated) return;
      if (e.code === 'NOT_READY_FOR_PICKUP' || e.status === 409) {
        // Collected meanwhile, or not (yet / any more) ready.
        const now = await get(`/cases/${seg(no)}`).catch(() => null);
        if (!ctx.alive()) return;
        if (now && now.status === 'collected') showGone('证件已领取', '您的新身份证已交付，业务办结。');
        else showGone('暂不能领证', e.message);
        return;
      }
      status.textContent = `${e.message}，稍后自动重试`;
      timer = setTimeout(refresh, MIN_DELAY_MS);
    } finally {
      refreshBtn.disabled = false;
    }
  };

  img.addEventListener('load', () => imgWrap.classList.remove('is-loading'));
  img.addEventListener('error', () => {
    imgWrap.classList.remove('is-loading');
    if (stopped) return;
    // Ask again shortly: the token call says why if the case moved on.
    status.textContent = '二维码加载失败，正在重试…';
    clearTimeout(timer);
    timer = setTimeout(refresh, 3000);
  });
  refreshBtn.addEventListener('click', refresh);

  const onVisible = () => {
    if (document.visibilityState === 'visible' && !stopped) {
      if (expiresAt - Date.now() < REFRESH_BEFORE_MS + 5000) refresh();
      requestWakeLock();
    }
  };
  const requestWakeLock = async () => {
    try {
      if ('wakeLock' in navigator) wakeLock = await navigator.wakeLock.request('screen');
    } catch { /* not allowed here: fine */ }
  };
  document.addEventListener('visibilitychange', onVisible);

  mount(root,
    h('div', { class: 'qr' },
      h('header', { class: 'qr__hd' },
        h('a', { class: 'qr__close', href: `#/cases/${encodeURIComponent(no)}`, 'aria-label': '关闭', 'data-test': 'back' }, h('i', { class: 'weui-icon-close-thin', 'aria-hidden': 'true' })),
        h('h1', { class: 'qr__title', tabindex: '-1' }, '领证二维码')),
      h('div', { class: 'qr__card' },
        h('p', { class: 'qr__kind' }, `${c.kind_label || ''} · 办件编号 ${c.no}`),
        body,
        h('p', { class: 'qr__tip' }, '请向窗口民警出示此二维码，本人到场并配合核验。请勿截图或转发他人。'),
        c.for_person ? h('p', { class: 'qr__remind', 'data-test': 'pickup-guardian' },
          `监护人代办：请监护人携${c.for_person.name}本人一同到窗口领取，并带上监护人本人的身份证件。`) : null),
      h('div', { class: 'qr__info' },
        h('p', { class: 'qr__station', 'data-test': 'pickup-station' }, station.name || ''),
        station.address ? h('p', null, h('span', { class: 'qr__k' }, '地址'), station.address) : null,
        station.hours ? h('p', null, h('span', { class: 'qr__k' }, '时间'), station.hours) : null,
        station.phone ? h('p', null, h('span', { class: 'qr__k' }, '电话'), h('a', { href: `tel:${station.phone}` }, station.phone)) : null,
        c.pickup_due_at ? h('p', null, h('span', { class: 'qr__k' }, '截止'), `请于${fmtDate(c.pickup_due_at)}前领取${caseDueProvisional(c, 'pickup_due_at') ? '（暂定）' : ''}`) : null),
      c.returns_old_card ? h('p', { class: 'qr__remind', id: 'old-card-reminder', 'data-test': 'old-card-reminder' },
        '温馨提示：本次为换领业务，请携带旧身份证，领取新证时须交回旧证。') : null));

  if (c.status !== 'ready_for_pickup') {
    showGone(c.status === 'collected' ? '证件已领取' : '暂不能领证',
      c.status === 'collected' ? '您的新身份证已交付，业务办结。' : '证件到达派出所后才能出示领证二维码。');
  } else {
    countdown = setInterval(tickStatus, 1000);
    requestWakeLock();
    await refresh();
  }

  return () => {
    stop();
    document.removeEventListener('visibilitychange', onVisible);
    document.body.classList.remove('page-pickup');
    if (wakeLock) wakeLock.release().catch(() => {});
  };
}
