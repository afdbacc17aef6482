// Journey: an expiry renewal by EMS. The address comes from
// wx.chooseAddress, a photo that breaks GA 461 is refused with the server's
// reason, a good one (wx.chooseMedia → wx.uploadFile) passes; the staff ship
// with a tracking number that the case page shows, and the case ends
// delivered.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const h = require('./harness.js');
const { follow, signInAndBind } = require('./flows.js');

test('EMS route: address from WeChat, photo refused then accepted, tracking number, delivered', async () => {
  h.newDevice(`mp-mail-${Date.now()}`);
  const home = await signInAndBind('王五', '520302195803200019', 'mail');

  let n = h.device.nav.length;
  await home.tap('#entry-expiry_renewal');
  const kind = await follow(n, 'navigateTo', '/pages/apply-kind/apply-kind?kind=expiry_renewal');
  await kind.see('#kind-expiry_renewal');
  assert.ok(kind.textOf('#kind-expiry_renewal').includes('需相片'));
  assert.ok(kind.textOf('#card-note').includes('有效期至'));
  n = h.device.nav.length;
  await kind.tap('#kind-expiry_renewal');

  const station = await follow(n, 'navigateTo', '/pages/apply-station/apply-station');
  await station.until((d) => d.stations.length > 0, 'the stations of the preselected county');
  assert.equal(station.data.counties[station.data.countyIndex].code, '520302');
  await station.tap(`#station-${station.data.stations[0].id}`);
  n = h.device.nav.length;
  await station.tap('#btn-station-next');

  // 邮寄到家, filled from the WeChat address book.
  const collection = await follow(n, 'navigateTo', '/pages/apply-collection/apply-collection');
  await collection.tap('#collection-mail');
  await collection.see('#mail-form');
  n = h.device.nav.length;
  await collection.tap('#btn-collection-next');
  await collection.see('#collection-error'); // no county yet: said on the form
  assert.equal(h.device.nav.length, n, 'an incomplete address went on');
  h.device.address = {
    userName: '王五', telNumber: '13712345678', provinceName: '贵州省', cityName: '遵义市', countyName: '红花岗区',
    detailInfo: '老城街道中华路158号2单元301', postalCode: '563000',
  };
  await collection.tap('#btn-choose-address');
  await collection.until((d) => d.countyIndex >= 0, 'the county from the chosen address');
  assert.equal(collection.data.counties[collection.data.countyIndex].code, '520302');
  assert.equal(collection.data.phone, '13712345678');
  collection.snapshot('mail-05-collection');
  n = h.device.nav.length;
  await collection.tap('#btn-collection-next');

  // 相片: a photo that is not GA 461 is refused with the server's reason.
  const photo = await follow(n, 'navigateTo', '/pages/apply-photo/apply-photo');
  await photo.see('#btn-choose-photo');
  h.device.photoPath = process.env.IDCARD_MP_BAD_PHOTO;
  await photo.tap('#btn-choose-photo');
  await photo.until((d) => d.state === 'bad', 'the refusal');
  const reason = photo.textOf('#photo-error');
  assert.ok(/[\u4e00-\u9fa5]/.test(reason) && reason.length > 4, `the refusal reason shown: ${reason}`);
  assert.equal(photo.data.ready, false, 'a refused photo let the flow go on');
  photo.snapshot('mail-06-photo-refused');
  h.device.photoPath = process.env.IDCARD_MP_PHOTO;
  await photo.tap('#btn-choose-photo');
  await photo.until((d) => d.state === 'ok', 'the accepted photo');
  assert.equal(photo.textOf('#photo-status'), '已通过检测');
  photo.snapshot('mail-07-photo-ok');
  n = h.device.nav.length;
  await photo.tap('#btn-photo-next');

  const confirm = await follow(n, 'navigateTo', '/pages/apply-confirm/apply-confirm');
  await confirm.until((d) => !d.legalDue.includes('计算中'), 'the legal due date');
  assert.equal(confirm.textOf('#confirm-collection'), '邮寄到家（EMS，邮费到付）');
  assert.ok(confirm.textOf('#confirm-address').includes('遵义市红花岗区老城街道中华路158号'), confirm.textOf('#confirm-address'));
  assert.equal(confirm.textOf('#confirm-photo'), '已上传（已通过检测）');
  assert.equal(confirm.textOf('#confirm-fee'), '¥20');
  confirm.snapshot('mail-08-confirm');
  n = h.device.nav.length;
  h.device.subscribeAnswer = 'accept';
  await confirm.tap('#btn-submit');
  const done = await follow(n, 'redirectTo', '/pages/apply-done/apply-done');
  const no = done.textOf('#case-no');

  const tracking = h.s10('EA', 12345678, 'CN');
  await h.mustStaff('station-520302', `/api/v1/staff/cases/${no}/precheck`, { decision: 'approve' }, 'accepted');

  // A temporary card asked for on the case page shows there, with its number once issued.
  const accepted = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await accepted.see('#btn-temp-card');
  h.device.modalConfirm = true;
  await accepted.tap('#btn-temp-card');
  await accepted.see('#temp-card');
  assert.ok(accepted.textOf('#temp-card-status').includes('已申请'));
  assert.equal(accepted.has('#btn-temp-card'), false, 'the page still offers to ask for a temporary card');
  assert.ok(h.device.modals.some((m) => m.title === '申领成功'));
  const issued = await h.staff('county-520302', `/api/v1/staff/cases/${no}/temporary-card`, { card_no: 'LS5203020001' });
  assert.equal(issued.status, 200, issued.text);
  await accepted.page.onPullDownRefresh();
  await accepted.see('#temp-card-no');
  assert.equal(accepted.textOf('#temp-card-no'), 'LS5203020001');
  assert.ok(accepted.textOf('#temp-card-valid').includes('年'));
  accepted.snapshot('mail-09-temporary-card');

  await h.mustStaff('county-520302', `/api/v1/staff/cases/${no}/review`, { decision: 'approve' }, 'issued');
  // The mail route pays before production: 支付 (the demo provider pays at once).
  const refused = await h.staff('production', `/api/v1/staff/cases/${no}/produce`, {});
  assert.equal(refused.status, 409, refused.text);
  const unpaid = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await unpaid.see('#btn-pay');
  assert.match(unpaid.textOf('#btn-pay'), /^支付 ¥\d+$/);
  await unpaid.tap('#btn-pay');
  await unpaid.until((d) => !d.canPay, 'the case paid');
  assert.equal(unpaid.has('#btn-pay'), false, 'the page still offers to pay');
  unpaid.snapshot('mail-09b-paid');
  await h.mustStaff('production', `/api/v1/staff/cases/${no}/produce`, {}, 'produced');
  await h.mustStaff('production', `/api/v1/staff/cases/${no}/ship`, { tracking_no: tracking }, 'shipped');

  // 办件详情: the tracking number, copied with one tap; no pickup QR on this route.
  const detail = await h.open(`/pages/case-detail/case-detail?no=${no}`);
  await detail.see('#tracking-no');
  assert.equal(detail.textOf('#tracking-no'), tracking);
  assert.equal(detail.has('#btn-pickup-qr'), false);
  assert.ok(detail.textOf('#next-step').includes('EMS'));
  await detail.tap('#btn-copy-tracking');
  await h.waitFor(() => h.device.clipboard === tracking, 'the tracking number on the clipboard');
  detail.snapshot('mail-10-shipped');

  await h.mustStaff('production', `/api/v1/staff/cases/${no}/deliver`, { signed_by: '王五' }, 'delivered');
  await detail.page.onPullDownRefresh();
  await detail.until((d) => d.c.status === 'delivered', 'the delivered case after a pull-down');
  const stages = detail.data.timeline.map((t) => t.status);
  for (const s of ['submitted', 'accepted', 'issued', 'produced', 'shipped', 'delivered']) {
    assert.ok(stages.includes(s), `the timeline lacks ${s}: ${stages}`);
  }
  assert.ok(detail.text().includes(tracking));
  assert.deepEqual(h.device.pageErrors, []);
});
