// Client state: the signed-in applicant (/me) and the application draft.
// Everything is dropped on sign-out or a 401, and the draft is kept per
// account, so one person's data never shows for another.

import { get } from './api.js';

const DRAFT_PREFIX = 'idcard.draft.';
let me = null;
let mePromise = null;
// True once this page has learnt there is no session (/me answered 401, or
// the session was cleared): the sign-in page then does not ask /me again.
let signedOut = false;

/** The signed-in applicant, from cache or GET /me. Rejects with ApiError (401 when signed out). */
export function loadMe(force = false) {
  if (me && !force) return Promise.resolve(me);
  if (!mePromise || force) {
    mePromise = get('/me', { quiet401: true })
      .then((m) => {
        if (me && m && me.id !== m.id) clearDrafts();
        me = m;
        signedOut = false;
        return m;
      }, (err) => {
        if (err && err.unauthenticated) signedOut = true;
        throw err;
      })
      .finally(() => { mePromise = null; });
  }
  return mePromise;
}

export function setMe(m) {
  me = m;
  signedOut = !m;
}

/** True when this page already knows there is no session. */
export function knownSignedOut() {
  return signedOut;
}

/** Forgets everything about the current user (sign-out, 401, sign-in as someone else). */
export function clearSession() {
  me = null;
  mePromise = null;
  signedOut = true;
  clearDrafts();
}

function clearDrafts() {
  try {
    for (let i = sessionStorage.length - 1; i >= 0; i--) {
      const k = sessionStorage.key(i);
      if (k && k.startsWith(DRAFT_PREFIX)) sessionStorage.removeItem(k);
    }
  } catch { /* storage may be unavailable (private mode) */ }
}

// ---------- the application draft ----------

let memoryDraft = {};

function draftKey() {
  return DRAFT_PREFIX + (me ? me.id : 'anon');
}

/** The draft of the application being filled in. */
export function getDraft() {
  try {
    const raw = sessionStorage.getItem(draftKey());
    return raw ? JSON.parse(raw) : {};
  } catch {
    return { ...memoryDraft };
  }
}

/** Merges patch into the draft and saves it. */
export function saveDraft(patch) {
  const d = { ...getDraft(), ...patch };
  memoryDraft = d;
  try {
    sessionStorage.setItem(draftKey(), JSON.stringify(d));
  } catch {
    // Quota (a large photo preview): keep the draft without the preview.
    if (d.photo && d.photo.preview) {
      const slim = { ...d, photo: { ...d.photo, preview: null } };
      try { sessionStorage.setItem(draftKey(), JSON.stringify(slim)); } catch { /* memory only */ }
    }
  }
  return d;
}

export function clearDraft() {
  memoryDraft = {};
  try { sessionStorage.removeItem(draftKey()); } catch { /* ignore */ }
}
