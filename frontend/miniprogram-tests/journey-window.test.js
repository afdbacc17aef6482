// Journey: a new citizen signs in with wx.login, binds with the face check,
// applies for a damage renewal with window pickup (double-tapping submit),
// the staff steps run through the staff API, and the pickup QR the page
// shows carries a token the station's verify endpoint accepts.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const config = require('../miniprogram/config.js');
const h = require('./harness.js');
const { follow, signInAndBind, scanQR } = require('./flows.js');

test('window route: sign-in → submitted case → staff steps → pickup QR verified → collected', async () => {
  h.newDevice(`mp-window-${Date.now()}`);
  const home = await signInAndBind('张三', '52010219900101123X', 'window');

  // 申请: the kinds with fees; expiry renewal is not open to him, with the reason.
  let n = h.device.nav.length;
  await home.tap('#btn-apply');
  const kind = await follow(n, 'navigateTo', '/pages/apply-kind/apply-kind');
  await kind.see('#kind-damage_renewal');
  assert.match(kind.textOf('#kind-damage_renewal'), /¥40/);
  assert.ok(kind.textOf('#kind-expiry_renewal-reason').length > 4, 'no reason shown for the kind he may not apply for');
  kind.snapshot('window-04-kind');
  n = h.device.nav.length;
  await kind.tap('#kind-damage_renewal');

  // 受理派出所: the county of his ID number is preselected; the station shows address, phone, hours.
  const station = await follow(n, 'navigateTo', '/pages/apply-station/apply-station');
  await station.until((d) => d.stations.length > 0, 'the stations of the preselected county');
  assert.equal(station.data.counties[station.data.countyIndex].code, '520102');
  const first = station.data.stations[0];
  assert.ok(station.textOf(`#station-${first.id}`).includes(first.address), 'the station shows no address');
  assert.ok(station.textOf(`#station-${first.id}`).includes('时间'), 'the station shows no hours');
  // A long list (南明区 has more than 8) filters by name or address.
  assert.ok(station.data.all.length >= 8, `南明区 lists ${station.data.all.length} stations`);
  const last = station.data.all[station.data.all.length - 1];
  await station.input('#station-filter', last.name);
  assert.deepEqual(station.data.stations.map((s) => s.id), [last.id]);
  await station.input('#station-filter', '不存在的派出所');
  await station.see('#station-none');
  assert.equal(station.textOf('#station-none'), '没有符合条件的派出所');
  await station.input('#station-filter', '');
  await station.tap(`#station-${first.id}`);
  station.snapshot('window-05-station');
  n = h.device.nav.length;
  await station.tap('#btn-station-next');

  // 领证方式: window pickup at that station.
  const collection = await follow(n, 'navigateTo', '/pages/apply-collection/apply-collection');
  await collection.see('#window-info');
  assert.ok(collection.textOf('#window-info').includes(first.name));
  collection.snapshot('window-06-collection');
  n = h.device.nav.length;
  await collection.tap('#btn-collection-next');

  // 确认: the legal due date from the server; a double tap makes one case,
  // and refusing the subscription does not stop the submit.
  const confirm = await follow(n, 'navigateTo', '/pages/apply-confirm/apply-confirm');
  await confirm.until((d) => !d.legalDue.includes('计算中'), 'the legal due date');
  assert.match(confirm.textOf('#legal-due'), /\d{4}年\d+月\d+日前/);
  assert.equal(confirm.textOf('#confirm-fee'), '¥40');
  confirm.snapshot('window-07-confirm');
  n = h.device.nav.length;
  h.device.subscribeAnswer = 'reject';
  await Promise.all([confirm.tap('#btn-submit'), confirm.tap('#btn-submit')]);
  const done = await follow(n, 'redirectTo', '/pages/apply-done/apply-done');
  assert.deepEqual(h.device.subscribeAsked, [config.subscribeTemplateIds], 'the status-message consent was not asked once at submit');
  const no = done.textOf('#case-no');
  assert.match(no, /^GZ\d{12}$/);
  await done.see('#done-due');
  done.snapshot('window-08-done');
  assert.equal(h.device.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/cases').length, 1, 'a double tap sent two submits');

  // 我的办件: one case.
  const cases = await h.open('/pages/cases/cases');
  await cases.until((d) => !d.loading, 'the case list');
  assert.deepEqual(cases.data.items.map((c) => c.no), [no]);
  assert.match(cases.textOf(`#predicted-${no}`), /^预计 \d+月\d+日 前可领取$/, 'the forecast is not on the case list');
  cases.snapshot('window-09-cases');

  // The staff steps, as outside systems call them.
  await h.mustStaff('station-520102', `/api/v1/staff/cases/${no}/precheck`, { decision: 'approve' }, 'accepted');
  await h.mustStaff('county-520102', `/api/v1/staff/cases/${no}/review`, { decision: 'approve' }, 'issued');
  await h.mustStaff('production', `/api/v1/staff/cases/${no}/produce`, {}, 'produced');
  await h.mustStaff('production', `/api/v1/staff/cases/${no}/ship`, {}, 'shipped');
  await h.mustStaff('station-520102', `/api/v1/staff/cases/${no}/arrive`, {}, 'ready_for_pickup');

  // 办件详情 offers the QR and reminds of the old card.
  const detail = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await detail.see('#btn-pickup-qr');
  await detail.see('#old-card-reminder');
  detail.snapshot('window-10-ready');
  n = h.device.nav.length;
  await detail.tap('#btn-pickup-qr');

  // 领证二维码: full brightness, the station's address and hours, a token the station accepts.
  const pickup = await follow(n, 'navigateTo', '/pages/pickup/pickup');
  await pickup.until((d) => d.qr, 'the QR code');
  assert.ok(h.device.brightness.includes(1), 'the screen was not brightened');
  assert.ok(h.device.keepScreenOn.includes(true), 'the screen is not kept on');
  assert.ok(pickup.textOf('#pickup-address').length > 4);
  assert.ok(pickup.textOf('#pickup-hours').length > 2);
  await pickup.see('#old-card-reminder');
  assert.match(pickup.textOf('#pickup-qr-status'), /二维码有效至/);
  pickup.snapshot('window-11-pickup');
  const token = scanQR(pickup.data.qr);
  const v = await h.staff('station-520102', '/api/v1/staff/pickup/verify', { token });
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.case.no, no);

  // A refresh shows a new code, which the handover accepts.
  const before = pickup.data.qr;
  await pickup.tap('#btn-refresh-qr');
  await pickup.until((d) => d.qr && d.qr !== before && !d.refreshing, 'a refreshed QR code');
  const token2 = scanQR(pickup.data.qr);
  assert.notEqual(token2, token, 'the refreshed code carries the same token');

  // Back in the foreground with the code about to expire: a new code first,
  // and the screen bright again; the handover takes that one.
  pickup.page.onHide();
  assert.equal(h.device.brightness[h.device.brightness.length - 1], 0.4, 'the brightness was not given back in the background');
  const shown = pickup.data.qr;
  pickup.page.expiresAt = Date.now() + 20000;
  pickup.page.onShow();
  await pickup.until((d) => d.qr !== shown && !d.refreshing, 'a new code for one about to expire');
  assert.equal(h.device.brightness[h.device.brightness.length - 1], 1);
  const token3 = scanQR(pickup.data.qr);
  await h.mustStaff('station-520102', '/api/v1/staff/pickup/handover', { token: token3, old_card_returned: true }, 'collected');
  pickup.close();
  assert.equal(h.device.brightness[h.device.brightness.length - 1], 0.4, 'the brightness was not given back on leaving');

  // The case is done, with every stage on the timeline.
  const after = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await after.until((d) => d.c, 'the case');
  assert.equal(after.data.c.status, 'collected');
  const stages = after.data.timeline.map((t) => t.status);
  for (const s of ['submitted', 'accepted', 'issued', 'produced', 'shipped', 'ready_for_pickup', 'collected']) {
    assert.ok(stages.includes(s), `the timeline lacks ${s}: ${stages}`);
  }
  assert.ok(after.text().includes('证件已领取，业务办结。'));
  after.snapshot('window-12-collected');

  // 消息 has the status messages, and marks them read. The server's
  // outbox delivers them in the background (a 1 s job): open the page
  // again until they are there, as a citizen would pull to refresh.
  let msgs;
  for (let i = 0; i < 40; i++) {
    if (msgs) msgs.close();
    msgs = await h.open('/pages/messages/messages');
    await msgs.until((d) => !d.loading, 'the messages');
    if (msgs.data.items.length > 0) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.ok(msgs.data.items.length > 0, 'no messages after a whole case');
  msgs.snapshot('window-13-messages');
  assert.ok(msgs.data.items.every((m) => m.case_no === no), 'a message of another case is shown');

  // 我的 · 谁查看了我的信息: the station's pickup check of this person shows,
  // by office and role, never by the officer's name.
  const me = await h.open('/pages/me/me');
  await me.until((d) => !d.loading && d.views.length > 0, '我的 with the access log');
  assert.ok(me.data.views.some((v) => v.purpose === '领取证件时核验身份' && /派出所户籍民警/.test(v.who)), JSON.stringify(me.data.views));
  assert.match(me.text(), /谁查看了我的信息/);
  assert.deepEqual(h.device.pageErrors, []);
});
