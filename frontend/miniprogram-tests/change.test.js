// 变更领证信息 and 监护人代办, both as 杨建国: a submitted case moves to another station on the change page
// before the pre-check; the new station then pre-checks it, and once
// production has started the page's save answers that it is too late.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const h = require('./harness.js');
const { follow, signInAndBind, windowApplication } = require('./flows.js');

/** Calls the API as the signed-in device's account. */
async function asDevice(method, p, body) {
  const token = JSON.parse(h.device.storage.get('idcard.token'));
  const r = await fetch(h.SERVER + p, {
    method, headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null, text };
}

// 杨建国's WeChat account: the change test leaves his case open, so no
// other account can bind him; the ward test below signs in as this one.
const GUARDIAN_WX = `mp-change-${Date.now()}`;

test('change: the station before pre-check on the change page, the new station pre-checks, no change once produced; 办件进度查询 shows it', async () => {
  h.newDevice(GUARDIAN_WX);
  await signInAndBind('杨建国', '522601198503120012', 'change');
  const offices = await fetch(`${h.SERVER}/api/v1/offices?kind=station&division=522601`).then((r) => r.json());
  const sub = await asDevice('POST', '/api/v1/cases', { kind: 'damage_renewal', station_id: offices.items[0].id, collection: 'window' });
  assert.equal(sub.status, 201, sub.text);
  const no = sub.json.no;

  const detail = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await detail.see('#btn-change');
  let n = h.device.nav.length;
  await detail.tap('#btn-change');
  const change = await follow(n, 'navigateTo', '/pages/case-change/case-change');
  await change.until((d) => !d.loading && d.prefectures.length > 0, 'the change page');
  await change.change('#change-prefecture', String(change.data.prefectures.findIndex((p) => p.code === '520100')));
  await change.until((d) => d.counties.length > 0, 'the counties of 贵阳市');
  await change.change('#change-county', String(change.data.counties.findIndex((c) => c.code === '520102')));
  await change.until((d) => d.stations.length > 0, 'the stations of 南明区');
  const target = change.data.stations[0];
  await change.tap(`#change-station-${target.id}`);
  change.snapshot('change-01-page');
  n = h.device.nav.length;
  await change.tap('#btn-change-save');
  await follow(n, 'redirectTo', '/pages/case-detail/case-detail');
  const after = await asDevice('GET', `/api/v1/cases/${no}`);
  assert.equal(after.json.station.id, target.id, 'the station did not change');
  assert.ok(after.json.timeline.some((e) => e.action === 'change'), 'no change on the timeline');

  // Production started: the page's save says it is too late.
  await h.mustStaff('station-520102', `/api/v1/staff/cases/${no}/precheck`, { decision: 'approve' }, 'accepted');
  await h.mustStaff('county-522601', `/api/v1/staff/cases/${no}/review`, { decision: 'approve' }, 'issued');
  const produced = await h.mustStaff('production', `/api/v1/staff/cases/${no}/produce`, {}, 'produced');
  const late = await h.open(`/pages/case-change/case-change?no=${no}`);
  await late.until((d) => !d.loading && d.prefectures.length > 0, 'the change page');
  await late.change('#change-prefecture', String(late.data.prefectures.findIndex((p) => p.code === '522600')));
  await late.until((d) => d.counties.length > 0, 'the counties of 黔东南州');
  await late.change('#change-county', String(late.data.counties.findIndex((c) => c.code === '522601')));
  await late.until((d) => d.stations.length > 0, 'the stations of 凯里市');
  await late.tap(`#change-station-${offices.items[0].id}`);
  await late.tap('#btn-change-save');
  await late.see('#change-error');
  assert.match(late.textOf('#change-error'), /不能再变更/);
  const tooLate = await asDevice('POST', `/api/v1/cases/${no}/change`, { station_id: offices.items[0].id });
  assert.equal(tooLate.status, 409);
  assert.equal(tooLate.json.error.code, 'CHANGE_NOT_ALLOWED');
  assert.deepEqual(h.device.pageErrors, []);

  // 办件进度查询 on a signed-out phone, from 登录: a wrong triple gets the
  // server's message, the right one the case's status and dates.
  h.newDevice(`mp-progress-${Date.now()}`);
  const login = await h.open('/pages/login/login');
  await login.see('#link-progress');
  n = h.device.nav.length;
  await login.tap('#link-progress');
  const progress = await follow(n, 'navigateTo', '/pages/progress/progress');
  await progress.input('#progress-no', no.toLowerCase());
  await progress.input('#progress-name', '杨建国');
  await progress.input('#progress-last6', '120013');
  await progress.tap('#btn-progress');
  await progress.see('#progress-error');
  const wrong = await fetch(`${h.SERVER}/api/v1/progress`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ case_no: no, name: '杨建国', id_last6: '120013' }),
  });
  assert.equal(wrong.status, 404);
  assert.equal(progress.textOf('#progress-error'), (await wrong.json()).error.message);
  assert.equal(progress.has('#progress-result'), false);
  await progress.input('#progress-last6', '120012');
  await progress.tap('#btn-progress');
  await progress.see('#progress-result');
  assert.equal(progress.textOf('#progress-status'), produced.status_label);
  assert.equal(progress.textOf('#progress-no-v'), no);
  assert.ok(progress.textOf('#progress-legal-due').endsWith('日前'), progress.textOf('#progress-legal-due'));
  assert.equal(progress.has('#progress-error'), false);
  assert.ok(!progress.textOf('#progress-result').includes('杨建国'), 'the answer shows the name');
  progress.snapshot('progress-01-status');
  assert.deepEqual(h.device.pageErrors, []);
});

/** From 我的 to 我的被监护人, then adds name / idNumber; returns the page. */
async function addWard(name, idNumber) {
  const me = await h.open('/pages/me/me');
  await me.see('#me-wards');
  const n = h.device.nav.length;
  await me.tap('#me-wards');
  const wards = await follow(n, 'navigateTo', '/pages/wards/wards');
  await wards.see('#ward-name');
  await wards.input('#ward-name', name);
  await wards.input('#ward-id', idNumber);
  await wards.tap('#btn-ward-add');
  await wards.until((d) => !d.busy && (d.error || d.items.some((x) => x.person.name === name)), 'the answer to 添加');
  return wards;
}

// 监护人代办: 杨建国 adds his son 杨小明 on 我的被监护人 (the registry
// checks the guardianship), applies for him from there, and the case is the
// child's; a registry person he is no guardian of gets the server's
// NOT_GUARDIAN message on the page.
test('wards: a guardian adds his child and applies for him; a non-guardian is told why not', async () => {
  h.newDevice(GUARDIAN_WX);
  const login = await h.open('/pages/login/login');
  await login.see('#btn-wechat-login');
  await login.tap('#btn-wechat-login');
  const home = await follow(0, 'switchTab', '/pages/home/home');
  await home.see('#hello');
  assert.ok(home.textOf('#hello').includes('杨建国'), home.textOf('#hello'));
  const wards = await addWard('杨小明', '522601201207050034');
  assert.equal(wards.data.error, '');
  const ward = wards.data.items.find((w) => w.person.name === '杨小明');
  assert.ok(ward, `the list shows ${JSON.stringify(wards.data.items)}`);
  wards.snapshot('ward-01-list');

  let n = h.device.nav.length;
  await wards.tap(`#btn-ward-apply-${ward.id}`);
  const kind = await follow(n, 'navigateTo', '/pages/apply-kind/apply-kind');
  await kind.see('#apply-for-ward');
  assert.match(kind.textOf('#apply-for-ward'), /为杨小明申请/);
  const confirm = await windowApplication(kind, 'damage_renewal');
  await confirm.see('#confirm-ward');
  assert.match(confirm.textOf('#confirm-ward'), /为杨小明/);
  confirm.snapshot('ward-02-confirm');
  n = h.device.nav.length;
  await confirm.tap('#btn-submit');
  const done = await follow(n, 'redirectTo', '/pages/apply-done/apply-done');
  const no = done.textOf('#case-no');
  const c = await asDevice('GET', `/api/v1/cases/${no}`);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.collection, 'window');
  assert.equal(c.json.for_person && c.json.for_person.name, '杨小明', c.text);
  // Withdrawn again, so that no other test meets an open case of 杨小明's.
  const cancel = await asDevice('POST', `/api/v1/cases/${no}/cancel`, {});
  assert.equal(cancel.status, 200, cancel.text);
  assert.deepEqual(h.device.pageErrors, []);

  // 吴丽 is in the registry but no child of his: the page says so in the
  // server's words, and the list keeps only 杨小明.
  const refused = await addWard('吴丽', '520402200302110049');
  await refused.see('#ward-error');
  const direct = await asDevice('POST', '/api/v1/me/wards', { name: '吴丽', id_number: '520402200302110049' });
  assert.equal(direct.status, 422, direct.text);
  assert.equal(direct.json.error.code, 'NOT_GUARDIAN');
  assert.equal(refused.textOf('#ward-error'), direct.json.error.message);
  assert.deepEqual(refused.data.items.map((x) => x.person.name), ['杨小明']);
  assert.deepEqual(h.device.pageErrors, []);
});
