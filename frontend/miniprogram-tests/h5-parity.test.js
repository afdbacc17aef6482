// The mini-program keeps CommonJS copies of a few H5 rules (the ID number
// checks, the next-step texts, the date formats, the provisional marks):
// they must say exactly what the H5 says. The H5's ES modules are loaded
// from a copy in a temporary "type": "module" folder. Runs without a server.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const H5 = path.resolve(__dirname, '../js');
const MP = path.resolve(__dirname, '../miniprogram/utils');

let dir = '';

async function h5(name) {
  if (!dir) {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'h5-esm-'));
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"module"}');
    for (const f of fs.readdirSync(H5)) if (f.endsWith('.js')) fs.copyFileSync(path.join(H5, f), path.join(dir, f));
  }
  return import(pathToFileURL(path.join(dir, name)).href);
}

test.after(() => { if (dir) fs.rmSync(dir, { recursive: true, force: true }); });

const STATUSES = ['submitted', 'accepted', 'issued', 'produced', 'shipped', 'ready_for_pickup', 'collected', 'delivered', 'rejected', 'cancelled', 'uncollected'];

test('ID number checks: the same message for the same input', async () => {
  const web = await h5('idnumber.js');
  const mp = require(path.join(MP, 'idnumber.js'));
  const today = new Date('2026-12-01T00:00:00Z');
  for (const s of ['', '5201', '52010219900101123X', '52010219900101123x', '520102199001011231', '99010219900101123X',
    '520102199013011234', '520102203001011234', '5201021990010112ZX', '520103198506150026', ' 520103 198506150026 ']) {
    assert.equal(mp.validateIDNumber(s, today), web.validateIDNumber(s, today), `validateIDNumber(${JSON.stringify(s)})`);
    assert.equal(mp.normalizeIDNumber(s), web.normalizeIDNumber(s));
  }
});

test('next-step texts, open cases and provisional marks as the H5 has them', async () => {
  const web = await h5('status.js');
  const webProv = await h5('provisional.js');
  const mp = require(path.join(MP, 'status.js'));
  for (const status of STATUSES) {
    for (const collection of ['window', 'mail']) {
      const c = { status, collection, final: ['collected', 'delivered', 'rejected', 'cancelled'].includes(status), provisional_dues: ['legal_due_at'] };
      assert.equal(mp.nextStepText(c), web.nextStepText(c), `${status}/${collection}`);
      assert.equal(mp.isOpen(c), web.isOpen(c), status);
      for (const f of ['legal_due_at', 'stage_due_at']) assert.equal(mp.dueProvisional(c, f), webProv.caseDueProvisional(c, f));
    }
  }
  const dl = { provisional_years: [2027] };
  for (const due of ['2027-01-05T17:00:00+08:00', '2026-12-30T17:00:00+08:00', null]) {
    assert.equal(mp.deadlineProvisional(dl, due), webProv.deadlineProvisional(dl, due));
  }
});

test('dates and money are written as the H5 writes them', async () => {
  const web = await h5('ui.js');
  const mp = require(path.join(MP, 'format.js'));
  for (const t of ['2026-11-26T07:28:07Z', '2026-12-31T23:59:59+08:00', '2027-01-01', '', 'garbage']) {
    assert.equal(mp.fmtDateTime(t), web.fmtDateTime(t), `fmtDateTime(${t})`);
    assert.equal(mp.fmtDate(t), web.fmtDate(t), `fmtDate(${t})`);
    if (t && t !== 'garbage' && t.includes('T')) assert.equal(mp.fmtClock(t), web.fmtClock(t));
  }
  for (const n of [0, 20, 40]) assert.equal(mp.fmtYuan(n), web.fmtYuan(n));
  for (const s of ['male', 'female']) assert.equal(mp.sexLabel(s), web.sexLabel(s));
});
