// 登录: phone + 6-digit SMS code (60 s resend countdown); in WeChat, the
// official account's authorization; in demo mode, a WeChat demo sign-in.

import { get, post } from '../api.js';
import { h, mount, setBusy, showError, toast } from '../ui.js';
import { clearSession, setMe, loadMe, knownSignedOut } from '../store.js';
import { elderSwitch } from '../mode.js';

const PHONE_RE = /^1[3-9]\d{9}$/;
const RESEND_SECONDS = 60;

/** Where to go after signing in: ?next= when it is one of ours. */
function nextPath(query, bound) {
  if (!bound) {
    const n = query.get('next');
    return `#/bind${n ? `?next=${encodeURIComponent(n)}` : ''}`;
  }
  const n = query.get('next') || '/';
  return n.startsWith('/') && !n.startsWith('//') && !n.startsWith('/login') ? `#${n}` : '#/';
}

export async function render(ctx) {
  const { root, query } = ctx;
  let timer = 0;
  let left = 0;

  // Signed in already? Then there is nothing to do here. When the router
  // has just been told there is no session (it sent us here), /me is not
  // asked a second time.
  if (!knownSignedOut()) {
    try {
      const me = await loadMe(true);
      if (!ctx.alive()) return;
      ctx.go(nextPath(query, me.bound), { replace: true });
      return;
    } catch { /* not signed in: show the form */ }
    if (!ctx.alive()) return;
  }

  const phone = h('input', {
    id: 'phone', 'data-test': 'phone', class: 'weui-input', type: 'tel', inputmode: 'numeric',
    maxlength: '11', autocomplete: 'tel', placeholder: '请输入11位手机号', 'aria-describedby': 'login-error',
  });
  const code = h('input', {
    id: 'code', 'data-test': 'code', class: 'weui-input', type: 'text',
    inputmode: 'numeric', pattern: '[0-9]*', maxlength: '6', autocomplete: 'one-time-code', placeholder: '6位验证码',
    'aria-describedby': 'login-error',
  });
  const sendBtn = h('button', {
    id: 'btn-send-code', 'data-test': 'send-code', type: 'button',
    class: 'weui-vcode-btn',
  }, '获取验证码');
  const loginBtn = h('button', { id: 'btn-login', 'data-test': 'login', type: 'submit', class: 'weui-btn weui-btn_primary' }, '登录');
  const errorEl = h('p', { id: 'login-error', class: 'form-error is-hidden', role: 'alert', 'data-test': 'login-error' });
  const wechatBox = h('div', { class: 'login-alt is-hidden', id: 'login-alt' });

  const setError = (msg) => {
    errorEl.textContent = msg || '';
    errorEl.classList.toggle('is-hidden', !msg);
  };
  const digits = (el, n) => { el.value = el.value.replace(/\D/g, '').slice(0, n); };

  const tick = () => {
    if (left <= 0) {
      clearInterval(timer);
      timer = 0;
      sendBtn.disabled = false;
      sendBtn.textContent = '重新获取';
      return;
    }
    sendBtn.disabled = true;
    sendBtn.textContent = `${left}秒后重发`;
    left--;
  };
  const startCountdown = (seconds) => {
    clearInterval(timer);
    left = seconds;
    tick();
    timer = setInterval(tick, 1000);
  };

  phone.addEventListener('input', () => { digits(phone, 11); setError(''); });
  code.addEventListener('input', () => { digits(code, 6); setError(''); });

  sendBtn.addEventListener('click', async () => {
    const p = phone.value.trim();
    if (!PHONE_RE.test(p)) {
      setError('请输入正确的11位手机号');
      phone.focus();
      return;
    }
    setError('');
    sendBtn.disabled = true;
    sendBtn.textContent = '发送中…';
    try {
      await post('/auth/sms', { phone: p });
      toast('验证码已发送');
      startCountdown(RESEND_SECONDS);
      code.focus();
    } catch (err) {
      if (err.status === 429 && err.retryAfter > 0) {
        // The button counts the wait down; the message says so rather than
        // a number of seconds that would stand still beside it.
        startCountdown(Math.min(err.retryAfter, 3600));
        setError('获取验证码过于频繁，请在按钮倒计时结束后重新获取');
      } else {
        sendBtn.disabled = false;
        sendBtn.textContent = '获取验证码';
        setError(err.message);
      }
    }
  });

  const signedIn = async (res) => {
    clearSession();
    try {
      setMe(await loadMe(true));
    } catch { /* the next page loads it */ }
    toast('登录成功');
    ctx.go(nextPath(query, res && res.bound), { replace: true });
  };

  const form = h('form', { class: 'weui-form login-form', novalidate: true, id: 'login-form' },
    h('div', { class: 'weui-form__bd' },
      h('div', { class: 'weui-form__control-area' },
        h('div', { class: 'weui-cells__group weui-cells__group_form' },
          h('div', { class: 'weui-cells weui-cells_form' },
            h('div', { class: 'weui-cell weui-cell_active' },
              h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'phone' }, '手机号')),
              h('div', { class: 'weui-cell__bd' }, phone)),
            h('div', { class: 'weui-cell weui-cell_active weui-cell_vcode' },
              h('div', { class: 'weui-cell__hd' }, h('label', { class: 'weui-label', for: 'code' }, '验证码')),
              h('div', { class: 'weui-cell__bd' }, code),
              h('div', { class: 'weui-cell__ft' }, sendBtn))),
          errorEl))),
    h('div', { class: 'weui-form__ft' },
      h('div', { class: 'weui-form__tips-area' },
        h('p', { class: 'weui-form__tips' }, '登录即同意依法使用您的信息。',
          h('span', { class: 'fine-print' }, '新号码验证后自动注册。'))),
      h('div', { class: 'weui-form__opr-area' }, loginBtn)));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (loginBtn.disabled) return;
    const p = phone.value.trim();
    const c = code.value.trim();
    if (!PHONE_RE.test(p)) { setError('请输入正确的11位手机号'); phone.focus(); return; }
    if (!/^\d{6}$/.test(c)) { setError('请输入6位短信验证码'); code.focus(); return; }
    setError('');
    setBusy(loginBtn, true, '正在登录');
    try {
      const res = await post('/auth/phone', { phone: p, code: c }, { quiet401: true });
      if (!ctx.alive()) return;
      await signedIn(res);
    } catch (err) {
      setBusy(loginBtn, false);
      setError(err.message);
      if (err.code === 'BAD_CODE') { code.select(); code.focus(); }
    }
  });

  mount(root,
    h('div', { class: 'login-hero' },
      h('img', { class: 'login-hero__logo', src: 'img/logo.svg', alt: '', width: '72', height: '72' }),
      h('h1', { class: 'login-hero__title', tabindex: '-1' }, '居民身份证网上办理'),
      h('p', { class: 'login-hero__desc' }, '贵州公安')),
    form,
    wechatBox,
    elderSwitch(h, 'login-elder'),
    h('p', { class: 'login-progress' }, h('a', { class: 'weui-link', href: '#/progress', id: 'link-progress', 'data-test': 'link-progress' }, '免登录查办件进度')),
    h('p', { class: 'page-foot' }, '贵州省公安厅 · 个人信息依法保密'));

  // Inside WeChat: the official account's web authorization (server side)
  // is the way in, first and primary; the phone form is the alternative.
  // It is the only WeChat button there (the demo one is for other browsers).
  const inWeChat = /MicroMessenger/i.test(navigator.userAgent);
  if (inWeChat) {
    const oauth = h('div', { class: 'weui-btn-area login-wechat-first' },
      h('a', { id: 'btn-wechat-oauth', 'data-test': 'wechat-oauth', class: 'weui-btn weui-btn_primary', href: '/m/wechat/login' }, '微信一键登录'),
      h('div', { class: 'login-alt__divider' }, h('span', null, '或使用手机号登录')));
    form.before(oauth);
    loginBtn.classList.replace('weui-btn_primary', 'weui-btn_default');
  }

  // Demo mode: a WeChat sign-in with a dev: code, only when the server says
  // so, and only outside WeChat (demo-note: production has no such button).
  if (!inWeChat) get('/config', { quiet401: true }).then((cfg) => {
    if (!ctx.alive() || !cfg || !(cfg.demo || cfg.wechat_demo)) return;
    const btn = h('button', { id: 'btn-wechat-demo', 'data-test': 'wechat-demo', type: 'button', class: 'weui-btn weui-btn_default demo-note' }, '微信登录（演示）');
    btn.addEventListener('click', async () => {
      setBusy(btn, true, '正在登录');
      try {
        let name = localStorage.getItem('idcard.wxdemo');
        if (!name) {
          name = 'h5-' + Math.random().toString(36).slice(2, 10);
          localStorage.setItem('idcard.wxdemo', name);
        }
        const res = await post('/auth/wechat', { code: `dev:${name}` }, { quiet401: true });
        if (!ctx.alive()) return;
        await signedIn(res);
      } catch (err) {
        setBusy(btn, false);
        showError(err, '登录未成功');
      }
    });
    if (wechatBox.classList.contains('is-hidden')) {
      mount(wechatBox, h('div', { class: 'login-alt__divider demo-note' }, h('span', null, '或')));
      wechatBox.classList.remove('is-hidden');
    }
    wechatBox.appendChild(btn);
  }).catch(() => { /* no /config: no demo button */ });

  phone.focus();
  return () => clearInterval(timer);
}
