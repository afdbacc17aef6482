// Every page of app.json has its four files and renders against the real
// server without an error; the account rules: a failed face check binds
// nothing, an expired token signs in again, another account on the same
// phone sees nothing of the last one's, a withdrawn case, sign-out.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');
const { follow, windowApplication } = require('./flows.js');

// What each page needs in its query to show a real case.
const QUERY = { 'pages/case-detail/case-detail': 'no', 'pages/case-change/case-change': 'no', 'pages/pickup/pickup': 'no', 'pages/apply-done/apply-done': 'no' };

async function signedIn(name) {
  h.newDevice(name);
  const login = await h.open('/pages/login/login');
  await login.tap('#btn-wechat-login');
  await h.navigated(0);
}

async function bindAs(name, idNumber, faceResult) {
  h.device.faceResult = faceResult;
  const bind = await h.open('/pages/bind/bind');
  await bind.see('#bind-name');
  await bind.input('#bind-name', name);
  await bind.input('#bind-id', idNumber);
  const n = h.device.nav.length;
  await bind.tap('#btn-bind');
  await h.waitFor(() => h.device.nav.length > n || bind.data.error, `the binding of ${name} to answer`);
  return bind;
}

test('app.json lists every page folder, each with its .js/.json/.wxml/.wxss', () => {
  const folders = fs.readdirSync(path.join(h.ROOT, 'pages')).sort();
  assert.deepEqual(h.app.pages.map((p) => p.split('/')[1]).sort(), folders);
  for (const p of h.app.pages) {
    for (const ext of ['js', 'json', 'wxml', 'wxss']) {
      assert.ok(fs.existsSync(path.join(h.ROOT, `${p}.${ext}`)), `${p}.${ext} is missing`);
    }
  }
  for (const f of ['app.js', 'app.json', 'app.wxss', 'project.config.json', 'sitemap.json', 'config.js']) {
    assert.ok(fs.existsSync(path.join(h.ROOT, f)), `${f} is missing`);
  }
  assert.ok(fs.existsSync(path.join(h.ROOT, 'miniprogram_npm/weui-miniprogram/cells/cells.js')), 'weui-miniprogram is not built into miniprogram_npm (scripts/assets.sh)');
});

test('a failed face check binds nothing and says why on the form; passing it binds', async () => {
  await signedIn(`mp-face-${Date.now()}`);
  const failed = await bindAs('李梅', '520103198506150026', 'dev:fail');
  await failed.see('#bind-error');
  assert.match(failed.textOf('#bind-error'), /实人认证未通过/);
  const me = await h.open('/pages/me/me');
  await me.until((d) => !d.loading, '我的');
  assert.equal(me.textOf('#me-name'), '未实名认证');
  await me.see('#me-bind');

  assert.equal((await bindAs('李梅', '520103198506150026', 'dev:pass')).data.error, '');
  const me2 = await h.open('/pages/me/me');
  await me2.until((d) => !d.loading && d.person, '我的 after binding');
  assert.equal(me2.textOf('#me-name'), '李梅');
  assert.match(me2.text(), /5201\S*0026/);
  assert.deepEqual(h.device.pageErrors, []);
});

test('on a demo server, DevTools signs in without wx.login and binds with the demo face check', async () => {
  h.newDevice(`mp-devtools-${Date.now()}`);
  const login = await h.open('/pages/login/login');
  await login.see('#btn-wechat-demo');
  await login.tap('#btn-wechat-demo');
  const nav = await h.navigated(0, 'onward after the demo sign-in');
  assert.equal(nav.url, '/pages/bind/bind');
  assert.equal(h.device.wxLogins, 0, 'the demo sign-in called wx.login');
  assert.match(JSON.parse(h.device.storage.get('idcard.demo-login')), /^mp-/);

  h.device.faceFails = true;
  h.device.actionSheetIndex = 0; // 模拟核身通过
  const bind = await bindAs('李梅', '520103198506150026', 'dev:pass');
  assert.equal(bind.data.error, '');
  assert.deepEqual(h.device.actionSheets.map((a) => a.itemList), [['模拟核身通过', '模拟核身不通过']]);
  const me = await h.open('/pages/me/me');
  await me.until((d) => !d.loading && d.person, '我的 after the demo binding');
  assert.equal(me.textOf('#me-name'), '李梅');
  assert.deepEqual(h.device.pageErrors, []);
});

test('every page renders with real data, and a withdrawn case shows as such', async () => {
  await signedIn(`mp-pages-${Date.now()}`);
  const bound = await bindAs('吴丽', '520402200302110049', 'dev:pass');
  assert.equal(bound.data.error, '');

  // A case submitted through the pages (kind → station → window → confirm).
  const confirm = await windowApplication(await h.open('/pages/apply-kind/apply-kind'), 'loss_replacement');
  let n;
  // The answer of the first submit is lost on the way back: the page says so,
  // and tapping again sends the same Idempotency-Key, which gets the one case.
  h.device.loseAnswerOf = 'POST /api/v1/cases';
  await confirm.tap('#btn-submit');
  await h.waitFor(() => h.device.modals.some((m) => m.content === '服务器响应超时，请稍后重试'), 'the timeout said');
  await confirm.until((d) => !d.submitting, 'the button back');
  n = h.device.nav.length;
  await confirm.tap('#btn-submit');
  const done = await follow(n, 'redirectTo', '/pages/apply-done/apply-done');
  const no = done.textOf('#case-no');
  const submits = h.device.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/cases');
  assert.equal(submits.length, 2);
  assert.ok(submits[0].idempotencyKey.length >= 16 && submits[0].idempotencyKey === submits[1].idempotencyKey, 'the retry did not send the same Idempotency-Key');
  const list = await h.open('/pages/cases/cases');
  await list.until((d) => !d.loading, 'the case list');
  assert.deepEqual(list.data.items.map((c) => c.no), [no], 'a retried submit made two cases');

  for (const route of h.app.pages) {
    const q = QUERY[route] ? `?${QUERY[route]}=${no}` : '';
    const from = h.device.nav.length;
    const page = await h.open(`/${route}${q}`);
    await page.until((d) => d.loading === undefined || d.loading === false || h.device.nav.length > from, `${route} to load`);
    assert.ok(!page.data.error, `${route} shows an error: ${page.data.error}`);
    assert.ok(page.text().trim().length > 0 || h.device.nav.length > from, `${route} rendered nothing`);
    page.close();
  }

  // The apply pages, with the draft gone, send the applicant back to its first step.
  const from = h.device.nav.length;
  await h.open('/pages/apply-confirm/apply-confirm');
  const back = await h.navigated(from, 'the redirect of an empty draft');
  assert.equal(back.url, '/pages/apply-kind/apply-kind');

  // 撤回 while submitted.
  const detail = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await detail.see('#btn-cancel');
  assert.ok(detail.text().includes('核验前您可以撤回'));
  h.device.modalConfirm = true;
  await detail.tap('#btn-cancel');
  await detail.until((d) => d.c && d.c.status === 'cancelled', 'the withdrawn case');
  assert.ok(detail.text().includes('申请已撤回'));
  await detail.see('#btn-reapply');
  assert.equal(detail.has('#btn-cancel'), false);

  // 重新申请, and a rejection shows the station's reason and what to do.
  n = h.device.nav.length;
  await detail.tap('#btn-reapply');
  const again = await follow(n, 'navigateTo', '/pages/apply-kind/apply-kind');
  await again.see('#kind-loss_replacement');
  n = h.device.nav.length;
  await again.tap('#kind-loss_replacement');
  const st2 = await follow(n, 'navigateTo', '/pages/apply-station/apply-station');
  await st2.until((d) => d.stations.length > 0, 'stations');
  assert.equal(st2.data.pickedId, 0, 'a station of the submitted application is still picked');
  await st2.tap(`#station-${st2.data.stations[0].id}`);
  n = h.device.nav.length;
  await st2.tap('#btn-station-next');
  const col2 = await follow(n, 'navigateTo', '/pages/apply-collection/apply-collection');
  n = h.device.nav.length;
  await col2.tap('#btn-collection-next');
  const conf2 = await follow(n, 'navigateTo', '/pages/apply-confirm/apply-confirm');
  n = h.device.nav.length;
  await conf2.tap('#btn-submit');
  const done2 = await follow(n, 'redirectTo', '/pages/apply-done/apply-done');
  const no2 = done2.textOf('#case-no');
  assert.notEqual(no2, no);
  const officer = `station-${st2.data.counties[st2.data.countyIndex].code}`;
  await h.mustStaff(officer, `/api/v1/staff/cases/${no2}/precheck`, { decision: 'reject', reason: '户籍信息与人口信息系统不一致，请到户籍地派出所核实' }, 'rejected');
  const rejected = await h.open(`/pages/case-detail/case-detail?no=${no2}`);
  await rejected.see('#reject-reason');
  assert.equal(rejected.textOf('#reject-reason'), '户籍信息与人口信息系统不一致，请到户籍地派出所核实');
  assert.ok(rejected.textOf('#reject-box').includes('请根据上述原因准备好材料后重新申请'));
  await rejected.see('#btn-reapply');
  rejected.snapshot('pages-rejected');

  // The pickup page of a case not at the station says so, with no code.
  const pickup = await h.open(`/pages/pickup/pickup?no=${no}`);
  await pickup.see('#pickup-unavailable');
  assert.equal(pickup.has('#pickup-qr'), false);
  pickup.close();

  // Someone else's case number: 未找到该办件.
  const other = await h.open('/pages/case-detail/case-detail?no=GZ000101000001');
  await other.see('#case-not-found');
  assert.deepEqual(h.device.pageErrors, []);
});

test('without a network a page says so in Chinese, and 重试 loads it', async () => {
  await signedIn(`mp-offline-${Date.now()}`);
  h.device.offline = true;
  const msgs = await h.open('/pages/messages/messages');
  await msgs.see('#page-error');
  assert.equal(msgs.textOf('#page-error').replace(/重试$/, '').trim(), '网络连接失败，请检查网络后重试');
  h.device.offline = false;
  await msgs.tap('#btn-retry');
  await msgs.until((d) => !d.loading && !d.error, 'the messages after 重试');
  await msgs.see('#messages-empty');
  assert.deepEqual(h.device.pageErrors, []);
});

test('an expired token signs in again with wx.login and the page loads', async () => {
  await signedIn(`mp-expired-${Date.now()}`);
  h.device.storage.set('idcard.token', JSON.stringify('not-a-valid-token'));
  const before = h.device.requests.length;
  const cases = await h.open('/pages/cases/cases');
  await cases.until((d) => !d.loading, 'the case list');
  assert.ok(!cases.data.error, cases.data.error);
  await cases.see('#cases-empty');
  const paths = h.device.requests.slice(before).map((r) => r.path);
  assert.ok(paths.includes('/api/v1/auth/wechat'), `no new sign-in after a 401: ${paths}`);
  assert.notEqual(JSON.parse(h.device.storage.get('idcard.token')), 'not-a-valid-token');
  assert.deepEqual(h.device.pageErrors, []);
});

test('another account on the same phone sees nothing of the last one; sign-out forgets it', async () => {
  const a = `mp-a-${Date.now()}`;
  await signedIn(a);
  assert.equal((await bindAs('杨小明', '522601201207050034', 'dev:pass')).data.error, '');
  const kind = await h.open('/pages/apply-kind/apply-kind');
  await kind.see('#kind-damage_renewal');
  await kind.tap('#kind-damage_renewal');
  const draftKeys = () => [...h.device.storage.keys()].filter((k) => k.startsWith('idcard.draft.'));
  assert.equal(draftKeys().length, 1, 'no draft was kept');

  // Another WeChat user on this phone, whose sign-in replaces the token.
  h.device.wxName = `mp-b-${Date.now()}`;
  h.device.storage.set('idcard.token', JSON.stringify('expired'));
  const me = await h.open('/pages/me/me');
  await me.until((d) => !d.loading, '我的 of the second account');
  assert.equal(me.textOf('#me-name'), '未实名认证');
  assert.equal(draftKeys().length, 0, 'the first account\'s draft survived another account\'s sign-in');

  // 长辈版 survives a sign-out; the account does not.
  await me.change('#elder-switch', true);
  assert.equal(JSON.parse(h.device.storage.get('idcard.elder')), true);
  const n = h.device.nav.length;
  h.device.modalConfirm = true;
  await me.tap('#btn-logout');
  const nav = await h.navigated(n, 'the way back to 登录');
  assert.deepEqual(nav, { how: 'reLaunch', url: '/pages/login/login' });
  assert.deepEqual([...h.device.storage.keys()], ['idcard.elder']);
  assert.deepEqual(h.device.pageErrors, []);
});
