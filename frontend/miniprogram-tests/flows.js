// Steps a citizen takes, shared by the journey tests.
'use strict';

const fs = require('node:fs');
const assert = require('node:assert');
const { PNG } = require('pngjs');
const jsQR = require('jsqr');
const h = require('./harness.js');

/** Opens the page the last navigation asked for, after checking how it was asked. */
async function follow(from, how, route) {
  let nav;
  try {
    nav = await h.navigated(from, `navigation to ${route}`);
  } catch (e) {
    const shown = h.current ? h.current().text().slice(0, 400) : '';
    throw new Error(`${e.message}; dialogs: ${JSON.stringify(h.device.modals)}; the page shows: ${shown}`);
  }
  assert.equal(nav.how, how, `navigation to ${nav.url}`);
  assert.ok(nav.url.startsWith(route), `went to ${nav.url}, want ${route}`);
  return h.open(nav.url);
}

/** 登录 with wx.login, then 实名认证 with the (demo) face check; ends on 首页. */
async function signInAndBind(name, idNumber, snap) {
  const login = await h.open('/pages/login/login');
  await login.see('#btn-wechat-login');
  login.snapshot(`${snap}-01-login`);
  let n = h.device.nav.length;
  await login.tap('#btn-wechat-login');
  const bind = await follow(n, 'redirectTo', '/pages/bind/bind');
  await bind.see('#bind-name');
  await bind.input('#bind-name', name);
  await bind.input('#bind-id', idNumber);
  bind.snapshot(`${snap}-02-bind`);
  n = h.device.nav.length;
  await bind.tap('#btn-bind');
  const home = await follow(n, 'switchTab', '/pages/home/home');
  await home.see('#hello');
  assert.ok(home.textOf('#hello').includes(name), `首页 greets ${home.textOf('#hello')}`);
  home.snapshot(`${snap}-03-home`);
  return home;
}

/**
 * From an open 申请 page (apply-kind): the kind, the first station of the
 * page's county, window collection; ends on the confirm page.
 */
async function windowApplication(kindPage, kind) {
  await kindPage.see(`#kind-${kind}`);
  let n = h.device.nav.length;
  await kindPage.tap(`#kind-${kind}`);
  const station = await follow(n, 'navigateTo', '/pages/apply-station/apply-station');
  await station.until((d) => d.stations.length > 0, 'stations');
  await station.tap(`#station-${station.data.stations[0].id}`);
  n = h.device.nav.length;
  await station.tap('#btn-station-next');
  const collection = await follow(n, 'navigateTo', '/pages/apply-collection/apply-collection');
  n = h.device.nav.length;
  await collection.tap('#btn-collection-next');
  return follow(n, 'navigateTo', '/pages/apply-confirm/apply-confirm');
}

/** Decodes the QR code of a PNG file, as a scanner would. */
function scanQR(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const res = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  assert.ok(res && res.data, `no QR code could be read from ${file}`);
  return res.data;
}

module.exports = { follow, signInAndBind, windowApplication, scanQR };
