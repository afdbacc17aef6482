// When the pickup QR code is fetched again: 30 s before its token expires,
// at the latest every 3 minutes, never sooner than 10 s.

const REFRESH_EVERY_MS = 3 * 60 * 1000;
const REFRESH_BEFORE_MS = 30 * 1000;
const MIN_DELAY_MS = 10 * 1000;

/** The wait before the next refresh of a code whose token expires at expiresAt (ms). */
function refreshDelay(expiresAt, now) {
  return Math.max(MIN_DELAY_MS, Math.min(REFRESH_EVERY_MS, expiresAt - now - REFRESH_BEFORE_MS));
}

/** Whether a code shown again (onShow) must be fetched anew first. */
const staleOnShow = (expiresAt, now) => !expiresAt || expiresAt - now < REFRESH_BEFORE_MS + 5000;

module.exports = { refreshDelay, staleOnShow, REFRESH_EVERY_MS, MIN_DELAY_MS };
