// Small DOM and WeUI helpers. Text always goes in as text (never as HTML), so
// nothing the server or the user typed can become markup.

import { isElder } from './mode.js';

/**
 * h('div', {class: 'x', id: 'y', 'data-test': 'z', onclick: fn}, child, ...)
 * Children: strings, numbers, nodes, arrays; null/undefined/false are skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
      else if (k === 'text') el.textContent = v;
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'selected') el[k] = v;
      else if (k === 'style') throw new Error('inline styles are not allowed (CSP): use a class');
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

/** Replaces el's children. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}


// ---------- page furniture ----------

/** A page header with an optional back link (to a hash) and a title. */
export function pageHeader(title, backHash) {
  return h('header', { class: 'page-hd' },
    backHash ? h('a', { class: 'page-hd__back', href: backHash, 'aria-label': '返回', 'data-test': 'back' },
      h('i', { class: 'weui-icon-back-arrow-thin', 'aria-hidden': 'true' })) : null,
    h('h1', { class: 'page-hd__title', tabindex: '-1' }, title));
}

/** The weui-loadmore spinner used while a page loads. */
export function loadingBlock(text = '正在加载') {
  return h('div', { class: 'weui-loadmore page-loading', role: 'status', 'data-test': 'loading' },
    h('i', { class: 'weui-loading', 'aria-hidden': 'true' }),
    h('span', { class: 'weui-loadmore__tips' }, text));
}

/** A friendly empty state. */
export function emptyBlock(text, action) {
  return h('div', { class: 'empty', 'data-test': 'empty' },
    h('div', { class: 'empty__icon', 'aria-hidden': 'true' }),
    h('p', { class: 'empty__text' }, text),
    action || null);
}

/** A full-page error with a retry button. */
export function errorBlock(err, retry) {
  return h('div', { class: 'weui-msg page-error', 'data-test': 'page-error' },
    h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-warn weui-icon_msg' })),
    h('div', { class: 'weui-msg__text-area' },
      h('h2', { class: 'weui-msg__title' }, '加载失败'),
      h('p', { class: 'weui-msg__desc' }, err.message || '请稍后重试')),
    retry ? h('div', { class: 'weui-msg__opr-area' },
      h('p', { class: 'weui-btn-area' },
        h('button', { class: 'weui-btn weui-btn_default', type: 'button', onclick: retry, 'data-test': 'retry' }, '重试'))) : null);
}

/** Puts a button into (or out of) the WeUI loading state; disabled while busy. */
export function setBusy(btn, busy, busyText) {
  if (!btn) return;
  if (busy) {
    if (!btn.dataset.label) btn.dataset.label = btn.textContent;
    btn.disabled = true;
    btn.setAttribute('aria-busy', 'true');
    btn.classList.add('weui-btn_loading');
    mount(btn, h('i', { class: 'weui-loading', 'aria-hidden': 'true' }), busyText || btn.dataset.label);
  } else {
    btn.disabled = false;
    btn.removeAttribute('aria-busy');
    btn.classList.remove('weui-btn_loading');
    if (btn.dataset.label) btn.textContent = btn.dataset.label;
    delete btn.dataset.label;
  }
}

// ---------- toasts and dialogs ----------

const overlay = () => document.getElementById('overlay');
let toastTimer = 0;
const ELDER_TOAST_MS = 6000;

/** A WeUI toast: icon 'success' | 'warn' | 'loading' | 'none'. */
export function toast(text, { icon = 'success', duration = 2000 } = {}) {
  clearTimeout(toastTimer);
  const old = document.getElementById('toast');
  if (old) old.remove();
  const iconEl = icon === 'loading'
    ? h('span', { class: 'weui-primary-loading weui-icon_toast' }, h('span', { class: 'weui-primary-loading__dot' }))
    : icon === 'none' ? null
      : h('i', { class: `${icon === 'warn' ? 'weui-icon-warn' : 'weui-icon-success-no-circle'} weui-icon_toast`, 'aria-hidden': 'true' });
  // Only a loading toast blocks the page; a message never swallows a tap.
  const el = h('div', { id: 'toast', role: 'alert', 'data-test': 'toast', class: icon === 'loading' ? '' : 'toast_passive' },
    icon === 'loading' ? h('div', { class: 'weui-mask_transparent' }) : null,
    h('div', { class: 'weui-toast__wrp' },
      h('div', { class: ['weui-toast', icon === 'none' ? 'weui-toast_text' : '', text.length > 10 ? 'weui-toast_text-more' : ''] },
        iconEl, h('p', { class: 'weui-toast__content', 'data-test': 'toast-text' }, text))));
  overlay().appendChild(el);
  // 长辈版 hurries no one: a message stays long enough to be read slowly.
  if (duration > 0) toastTimer = setTimeout(() => el.remove(), isElder() ? Math.max(duration, ELDER_TOAST_MS) : duration);
  return () => el.remove();
}

/**
 * A WeUI dialog. buttons: [{text, value, primary, warn, id}]. Resolves to the
 * value of the button pressed (Escape = the first button's value).
 */
export function dialog({ title, message, buttons, id = 'dialog' }) {
  return new Promise((resolve) => {
    const prevFocus = document.activeElement;
    const old = document.getElementById(id);
    if (old) old.remove();
    const titleId = `${id}-title`;
    let wrap;
    const close = (v) => {
      document.removeEventListener('keydown', onKey);
      wrap.remove();
      if (prevFocus && prevFocus.focus) prevFocus.focus();
      resolve(v);
    };
    const onKey = (e) => {
      if (e.key === 'Escape') close(buttons[0].value);
    };
    const btns = buttons.map((b) => h('button', {
      type: 'button',
      class: ['weui-dialog__btn', b.warn ? 'weui-dialog__btn_warn' : b.primary ? 'weui-dialog__btn_primary' : 'weui-dialog__btn_default', 'dialog-btn'],
      id: b.id, 'data-test': b.id || null,
      onclick: () => close(b.value),
    }, b.text));
    const body = Array.isArray(message) ? message : [message];
    wrap = h('div', { id, class: 'js_dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': title ? titleId : null, 'data-test': id },
      h('div', { class: 'weui-mask' }),
      h('div', { class: 'weui-dialog' },
        title ? h('div', { class: 'weui-dialog__hd' }, h('strong', { class: 'weui-dialog__title', id: titleId }, title)) : null,
        h('div', { class: 'weui-dialog__bd', 'data-test': 'dialog-message' }, ...body),
        h('div', { class: 'weui-dialog__ft' }, btns)));
    overlay().appendChild(wrap);
    document.addEventListener('keydown', onKey);
    btns[btns.length - 1].focus();
  });
}

/** An information dialog with one button. */
export function alertDialog(message, title = '提示') {
  return dialog({ title, message, buttons: [{ text: '我知道了', value: true, primary: true, id: 'dialog-ok' }] });
}

/** A yes/no dialog; resolves true when confirmed. */
export function confirmDialog(message, { title = '请确认', ok = '确定', cancel = '取消', warn = false } = {}) {
  return dialog({
    title, message,
    buttons: [
      { text: cancel, value: false, id: 'dialog-cancel' },
      { text: ok, value: true, primary: !warn, warn, id: 'dialog-confirm' },
    ],
  });
}

/**
 * Shows an API error: a 401 is handled by the router (nothing here); a short
 * message becomes a toast, a longer one a dialog.
 */
export function showError(err, title = '操作未成功') {
  if (!err) return;
  if (err.unauthenticated) return;
  const msg = err.message || '系统繁忙，请稍后再试';
  if (msg.length <= 12) {
    toast(msg, { icon: 'warn', duration: 2500 });
    return Promise.resolve();
  }
  return alertDialog(msg, title);
}

// ---------- misc ----------

/** A random UUID v4 (crypto.randomUUID needs a secure context; this does not). */
export function uuid() {
  if (window.crypto && typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** A WeUI select cell (cascade pickers). */
export function selectCell(label, select) {
  return h('div', { class: 'weui-cell weui-cell_active weui-cell_select weui-cell_select-after' },
    h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: select.id }, label)),
    h('div', { class: 'weui-cell__bd' }, select));
}

/** Fills a <select> with {code,name} items after a placeholder option. */
export function fillSelect(select, items, placeholder, selected) {
  mount(select,
    h('option', { value: '' }, placeholder),
    items.map((it) => h('option', { value: it.code, selected: it.code === selected }, it.name)));
  select.disabled = items.length === 0;
}

/** A read-only key/value row of a weui-form-preview. */
export function previewItem(label, value, attrs = {}) {
  return h('div', { class: 'weui-form-preview__item' },
    h('label', { class: 'weui-form-preview__label' }, label),
    h('span', { class: 'weui-form-preview__value', ...attrs }, value));
}

/** A labelled form row: a weui-cell with the label for the field with id forId. */
export function formCell(label, forId, el) {
  return h('div', { class: 'weui-cell weui-cell_active' },
    h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: forId }, label)),
    h('div', { class: 'weui-cell__bd' }, el));
}
