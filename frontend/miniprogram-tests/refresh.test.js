// The pickup code's refresh schedule (utils/refresh.js): before the token
// expires, at least every 3 minutes, never in a tight loop.
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const { refreshDelay, staleOnShow } = require('../miniprogram/utils/refresh.js');

test('the pickup code is fetched again before its token expires', () => {
  const now = 1_000_000;
  assert.equal(refreshDelay(now + 24 * 3600e3, now), 3 * 60e3, 'a day-long token: every 3 minutes');
  assert.equal(refreshDelay(now + 100e3, now), 70e3, '30 s before expiry');
  assert.equal(refreshDelay(now + 5e3, now), 10e3, 'no tight loop for a token about to expire');
  assert.equal(refreshDelay(now - 60e3, now), 10e3, 'nor for an expired one');
  for (const left of [40e3, 90e3, 170e3, 3600e3]) {
    assert.ok(refreshDelay(now + left, now) < left, `a token with ${left} ms left is refreshed after it expired`);
  }
});

test('a code shown again after a while is fetched anew when it is about to expire', () => {
  const now = 1_000_000;
  assert.equal(staleOnShow(now + 20e3, now), true);
  assert.equal(staleOnShow(now + 10 * 60e3, now), false);
  assert.equal(staleOnShow(0, now), true);
});
