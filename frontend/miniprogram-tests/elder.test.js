// 长辈版 (elder mode) of the mini-program: the switch on 首页 turns it on for
// this phone and redraws the pages already open; every page of app.json then
// draws its root in .elder; 我的 turns it off again. Each page is kept as an
// artifacts/miniprogram/elder-*.html snapshot, which TestMiniProgram measures
// in chromium (no text under 36rpx = 18 px, no button under 120rpx = 60 px).
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const h = require('./harness.js');
const { follow } = require('./flows.js');

const rootIsElder = (page) => Boolean(page.q('.elder'));

test('长辈版: the 首页 switch turns it on everywhere, 我的 turns it off', async () => {
  h.newDevice(`mp-elder-${Date.now()}`);
  const login = await h.open('/pages/login/login');
  await login.see('#btn-wechat-login');
  assert.ok(!rootIsElder(login), '登录 starts in 长辈版 on a new phone');
  let n = h.device.nav.length;
  await login.tap('#btn-wechat-login');
  const bind = await follow(n, 'redirectTo', '/pages/bind/bind');
  await bind.see('#bind-name');
  await bind.input('#bind-name', '李梅');
  await bind.input('#bind-id', '520103198506150026');
  h.device.faceResult = 'dev:pass';
  n = h.device.nav.length;
  await bind.tap('#btn-bind');
  const home = await follow(n, 'switchTab', '/pages/home/home');
  await home.see('#home-elder-switch');
  const me = await h.open('/pages/me/me'); // a tab page left open behind 首页
  await me.until((d) => !d.loading, '我的');

  await home.change('#home-elder-switch', true);
  assert.equal(JSON.parse(h.device.storage.get('idcard.elder')), true, 'the switch was not remembered');
  await home.until((d) => d.elder, '首页 in 长辈版');
  assert.ok(rootIsElder(home), '首页 is not drawn in 长辈版');
  await me.until((d) => d.elder, '我的, already open, in 长辈版');

  // Every page of app.json opens in 长辈版 now; the ones a person meets on
  // the way to an application are kept for measuring.
  const walk = [
    ['/pages/home/home', '#btn-apply'],
    ['/pages/apply-kind/apply-kind', '#kind-damage_renewal'],
    ['/pages/apply-station/apply-station', '.page'],
    ['/pages/apply-collection/apply-collection', '#btn-collection-next'],
    ['/pages/me/me', '#elder-switch'],
    ['/pages/cases/cases', '.page'],
    ['/pages/messages/messages', '.page'],
  ];
  const kind = await h.open('/pages/apply-kind/apply-kind');
  await kind.see('#kind-damage_renewal');
  n = h.device.nav.length;
  await kind.tap('#kind-damage_renewal');
  const station = await follow(n, 'navigateTo', '/pages/apply-station/apply-station');
  await station.until((d) => d.stations.length > 0, 'stations');
  await station.tap(`#station-${station.data.stations[0].id}`);
  for (const [url, ready] of walk) {
    const p = await h.open(url);
    await p.see(ready);
    await p.until((d) => !d.loading, `${url} loaded`);
    assert.ok(rootIsElder(p), `${url} is not drawn in 长辈版`);
    p.snapshot(`elder-${url.split('/')[2]}`);
  }
  for (const route of h.app.pages) {
    const p = await h.open(`/${route}?no=none`);
    assert.equal(p.data.elder, true, `${route} does not follow 长辈版`);
    assert.ok(rootIsElder(p), `${route} is not drawn in 长辈版`);
  }

  const me2 = await h.open('/pages/me/me');
  await me2.until((d) => !d.loading, '我的');
  await me2.change('#elder-switch', false);
  assert.equal(JSON.parse(h.device.storage.get('idcard.elder')), false);
  await me2.until((d) => !d.elder, '我的 back to standard');
  assert.ok(!rootIsElder(me2), '我的 is still drawn in 长辈版');
  const home2 = await h.open('/pages/home/home');
  assert.ok(!rootIsElder(home2), '首页 opens in 长辈版 after it was turned off');
  assert.deepEqual(h.device.pageErrors, []);
});
