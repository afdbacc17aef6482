// 长辈版 (elder mode): larger text and tap targets, remembered on this
// device. /m/?mode=elder turns it on, ?mode=standard off; the switches on
// the home page, the sign-in page and 我的 do the same. The whole rule is
// here and in the "长辈版" section of css/app.css (html.elder).

const KEY = 'idcard.mode';

function remembered() {
  try { return localStorage.getItem(KEY) === 'elder'; } catch { return false; }
}

/** Whether elder mode is on. */
export function isElder() {
  return document.documentElement.classList.contains('elder');
}

/** Turns elder mode on or off and remembers the choice on this device. */
export function setElder(on) {
  document.documentElement.classList.toggle('elder', on);
  try { localStorage.setItem(KEY, on ? 'elder' : 'standard'); } catch { /* private mode: this visit only */ }
}

/** Applies ?mode= from the address, else what this device remembers. */
export function applyMode() {
  const asked = new URLSearchParams(location.search).get('mode');
  if (asked === 'elder' || asked === 'standard') {
    setElder(asked === 'elder');
  } else {
    document.documentElement.classList.toggle('elder', remembered());
  }
}

/**
 * The 长辈版 switch as a labelled checkbox cell (WeUI switch); build is the
 * page's h(). id names the input.
 */
export function elderSwitch(h, id) {
  const input = h('input', { class: 'weui-switch', type: 'checkbox', id, 'data-test': id, role: 'switch' });
  input.checked = isElder();
  input.setAttribute('aria-checked', String(input.checked));
  input.addEventListener('change', () => {
    setElder(input.checked);
    input.setAttribute('aria-checked', String(input.checked));
  });
  return h('div', { class: 'weui-cells weui-cells_form elder-switch' },
    h('div', { class: 'weui-cell weui-cell_switch' },
      h('div', { class: 'weui-cell__bd' }, h('label', { for: id }, '长辈版', h('span', { class: 'fine-print' }, '（大字体）'))),
      h('div', { class: 'weui-cell__ft' }, input)));
}

/**
 * In 长辈版 the action bar is not pinned over the list (css/app.css), so once
 * a choice is made the page brings its next-step button into view.
 */
export function revealNext(btn) {
  if (isElder()) btn.scrollIntoView({ block: 'center' });
}
