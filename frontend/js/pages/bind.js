// 实名认证: bind the account to a registry person (name + 18-digit ID number)
// after a real-person verification (人脸核身). The claim is checked first
// (POST /me/verification), the provider's face page opens and returns here
// with verify_result in the hash query, and the binding spends it.

import { post } from '../api.js';
import { h, mount, pageHeader, setBusy, showError, toast, previewItem } from '../ui.js';
import { sexLabel } from '../format.js';
import { validateIDNumber, normalizeIDNumber, groupIDNumber } from '../idnumber.js';
import { setMe } from '../store.js';

// The claim waits in this tab's session storage while the face page is
// open, and is removed as soon as the binding answers.
const CLAIM_KEY = 'idcard.bind-claim';

function saveClaim(c) { try { sessionStorage.setItem(CLAIM_KEY, JSON.stringify(c)); } catch { /* private mode */ } }
function takeClaim() {
  try {
    const c = JSON.parse(sessionStorage.getItem(CLAIM_KEY) || 'null');
    sessionStorage.removeItem(CLAIM_KEY);
    return c && typeof c.name === 'string' && typeof c.id_number === 'string' ? c : null;
  } catch { return null; }
}

function nextHash(query) {
  const n = query.get('next') || '/';
  return n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/bind') && !n.startsWith('/login') ? `#${n}` : '#/';
}

export async function render(ctx) {
  const { root, me, query } = ctx;

  if (me.bound && me.person) {
    mount(root,
      pageHeader('实名认证', '#/me'),
      h('div', { class: 'weui-msg bind-done' },
        h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-success weui-icon_msg' })),
        h('div', { class: 'weui-msg__text-area' },
          h('h2', { class: 'weui-msg__title' }, '已完成实名认证'),
          h('div', { class: 'weui-form-preview card' },
            h('div', { class: 'weui-form-preview__bd' },
              previewItem('姓名', me.person.name, { 'data-test': 'bound-name' }),
              previewItem('身份证号', me.person.id_number_masked, { 'data-test': 'bound-id' }),
              previewItem('性别', sexLabel(me.person.sex))))),
        h('div', { class: 'weui-msg__opr-area' },
          h('p', { class: 'weui-btn-area' },
            h('a', { class: 'weui-btn weui-btn_primary', href: nextHash(query), id: 'btn-bind-continue', 'data-test': 'bind-continue' }, '继续')))));
    return;
  }

  const name = h('input', {
    id: 'bind-name', 'data-test': 'bind-name', class: 'weui-input', type: 'text', maxlength: '30',
    autocomplete: 'name', placeholder: '与身份证一致的姓名',
  });
  const idn = h('input', {
    id: 'bind-id', 'data-test': 'bind-id', class: 'weui-input', type: 'text', maxlength: '20',
    autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', inputmode: 'text',
    placeholder: '18位公民身份号码', 'aria-describedby': 'bind-id-error',
  });
  const counter = h('span', { class: 'id-counter', 'aria-hidden': 'true' }); // counts once typing starts
  const idCell = h('div', { class: 'weui-cell weui-cell_active', id: 'bind-id-cell' },
    h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'bind-id' }, '身份证号')),
    h('div', { class: 'weui-cell__bd' }, idn));
  const nameCell = h('div', { class: 'weui-cell weui-cell_active' },
    h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'bind-name' }, '姓名')),
    h('div', { class: 'weui-cell__bd' }, name));
  const err = h('p', { id: 'bind-id-error', class: 'form-error is-hidden', role: 'alert', 'data-test': 'bind-error' });
  const btn = h('button', { id: 'btn-bind', 'data-test': 'bind-submit', type: 'submit', class: 'weui-btn weui-btn_primary' }, '下一步');

  const setError = (msg, onId = true) => {
    err.textContent = msg || '';
    err.classList.toggle('is-hidden', !msg);
    idCell.classList.toggle('weui-cell_warn', Boolean(msg) && onId);
  };

  idn.addEventListener('input', () => {
    // Shown grouped 6-8-4 as typed, so the whole number stays readable.
    const v = normalizeIDNumber(idn.value).replace(/[^0-9X]/g, '').slice(0, 18);
    const shown = groupIDNumber(v);
    if (shown !== idn.value) idn.value = shown;
    counter.textContent = v.length ? `${v.length}/18` : '';
    // Judge only once the number is complete; before that, just clear.
    setError(v.length === 18 ? validateIDNumber(v) : '');
  });
  idn.addEventListener('blur', () => {
    if (idn.value) setError(validateIDNumber(idn.value));
  });
  name.addEventListener('input', () => setError(''));

  const form = h('form', { class: 'weui-form bind-form', novalidate: true },
    h('div', { class: 'weui-form__bd' },
      h('div', { class: 'weui-form__text-area' },
        h('p', { class: 'weui-form__desc' }, '须本人刷脸核验。',
          h('span', { class: 'fine-print' }, '信息仅用于核验身份，依法保密。'))),
      h('div', { class: 'weui-form__control-area' },
        h('div', { class: 'weui-cells__group weui-cells__group_form' },
          h('div', { class: 'weui-cells weui-cells_form' }, nameCell, idCell),
          err,
          h('div', { class: 'weui-cells__tips id-tips' }, counter)))),
    h('div', { class: 'weui-form__ft' },
      h('div', { class: 'weui-form__opr-area' }, btn)));

  const fail = (e2) => {
    setBusy(btn, false);
    // What the form can point at is said on the form, once; the rest
    // (rate limits, an unavailable provider) in a dialog.
    if (e2.code === 'INVALID_ID_NUMBER' || e2.code === 'IDENTITY_MISMATCH' || e2.code === 'REAL_PERSON_FAILED') {
      setError(e2.message, e2.code === 'INVALID_ID_NUMBER');
      return;
    }
    showError(e2, '认证未通过');
  };

  // bindWith spends a verify_result on the claim.
  const bindWith = async (claim, verifyResult) => {
    setBusy(btn, true, '正在核验');
    try {
      const m = await post('/me/identity', { ...claim, verify_result: verifyResult });
      if (!ctx.alive()) return;
      setMe(m);
      toast('认证成功');
      ctx.go(nextHash(query), { replace: true });
    } catch (e2) {
      fail(e2);
    }
  };

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (btn.disabled) return;
    const n = name.value.trim();
    const id = normalizeIDNumber(idn.value);
    if (!n) { setError('请输入姓名', false); name.focus(); return; }
    if (!/^[\u4e00-\u9fa5·•A-Za-z\s]{2,30}$/.test(n)) { setError('姓名应为2至30个汉字或字母', false); name.focus(); return; }
    const problem = validateIDNumber(id);
    if (problem) { setError(problem); idn.focus(); return; }
    setError('');
    setBusy(btn, true, '正在核验');
    const next = query.get('next');
    const back = '/m/#/bind' + (next ? `?next=${encodeURIComponent(next)}` : '');
    try {
      const v = await post('/me/verification', { name: n, id_number: id, return_url: back });
      if (!ctx.alive()) return;
      if (!v.verify_url) {
        setBusy(btn, false);
        setError('请在“贵州公安”微信小程序或微信中打开本页，完成人脸核身后再绑定', false);
        return;
      }
      saveClaim({ name: n, id_number: id });
      location.assign(v.verify_url);
    } catch (e2) {
      fail(e2);
    }
  });

  mount(root, pageHeader('实名认证', '#/'), form);

  // Back from the face page: bind with its result, or show why not.
  const result = query.get('verify_result');
  if (result) {
    const claim = takeClaim();
    if (!claim) {
      setError('核身信息已失效，请重新填写并完成人脸核身', false);
      name.focus();
      return;
    }
    name.value = claim.name;
    idn.value = groupIDNumber(claim.id_number);
    counter.textContent = `${claim.id_number.length}/18`;
    await bindWith(claim, result);
    return;
  }
  name.focus();
}
