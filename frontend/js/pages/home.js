// 首页: the ways in (办理入口), the current case (我的办件) and the latest
// messages. An entry the person may use starts the application with its
// kind chosen (straight to the station step); one they may not says why and
// starts nothing; the kind screen (我要申请) stays for the rest. A section
// with nothing in it (no case yet, no message) is not shown.

import { get } from '../api.js';
import { h, mount, loadingBlock } from '../ui.js';
import { fmtDateTime, fmtYuan } from '../format.js';
import { isOpen } from '../status.js';
import { chooseKind } from '../steps.js';
import { statusBadge } from '../marks.js';
import { elderSwitch } from '../mode.js';

const ENTRIES = [
  { kind: 'expiry_renewal', label: '到期换领', icon: 'renew' },
  { kind: 'damage_renewal', label: '损坏换领', icon: 'damage' },
  { kind: 'loss_replacement', label: '丢失补领', icon: 'loss' },
];

export async function render(ctx) {
  const { root, me } = ctx;
  const who = me.person ? me.person.name : (me.phone_masked || '微信用户');

  // Until eligibility is known an entry opens the kind screen with its kind.
  const entries = ENTRIES.map((e) => {
    const desc = h('span', { class: 'entry__desc', 'aria-live': 'polite' });
    const el = h('a', { class: 'entry', href: `#/apply?kind=${e.kind}`, id: `entry-${e.kind}`, 'data-test': `entry-${e.kind}` },
      h('span', { class: `entry__icon entry__icon_${e.icon}`, 'aria-hidden': 'true' }),
      h('span', { class: 'entry__label' }, e.label),
      desc);
    return { ...e, el, desc };
  });

  const caseBox = h('section', { class: 'home-section', 'aria-labelledby': 'home-cases-title' },
    h('div', { class: 'section-hd' },
      h('h2', { class: 'section-hd__title', id: 'home-cases-title' }, '我的办件'),
      h('a', { class: 'section-hd__more', href: '#/cases', 'data-test': 'home-all-cases' }, '全部')),
    loadingBlock());
  const msgBox = h('section', { class: 'home-section', 'aria-labelledby': 'home-msgs-title' },
    h('div', { class: 'section-hd' },
      h('h2', { class: 'section-hd__title', id: 'home-msgs-title' }, '消息'),
      h('a', { class: 'section-hd__more', href: '#/messages', 'data-test': 'home-all-messages' }, '全部')),
    loadingBlock());

  mount(root,
    h('header', { class: 'home-hero' },
      h('div', { class: 'home-hero__brand' },
        h('img', { src: 'img/logo.svg', alt: '', width: '40', height: '40', class: 'home-hero__logo' }),
        h('div', null,
          h('h1', { class: 'home-hero__title', tabindex: '-1' }, '居民身份证网上办理'),
          h('p', { class: 'home-hero__sub' }, '贵州公安'))),
      h('p', { class: 'home-hero__hello', 'data-test': 'hello' }, `您好，${who}`)),
    elderSwitch(h, 'home-elder'),
    me.bound ? null : h('div', { class: 'notice notice_warn', role: 'note' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '尚未实名认证'),
        h('p', null, '完成实名认证后即可网上申请换领、补领身份证。')),
      h('a', { class: 'weui-btn weui-btn_mini weui-btn_primary', href: '#/bind', id: 'btn-go-bind', 'data-test': 'go-bind' }, '去认证')),
    h('section', { class: 'home-section', 'aria-label': '办理入口' },
      h('div', { class: 'entry-grid', id: 'entry-grid' }, entries.map((x) => x.el)),
      h('div', { class: 'weui-btn-area home-apply' },
        h('a', { class: 'weui-btn weui-btn_primary', href: '#/apply', id: 'btn-apply', 'data-test': 'apply' }, '我要申请'))),
    caseBox,
    msgBox);

  const [casesR, msgsR, eligR] = await Promise.allSettled([
    get('/cases'),
    get('/notifications'),
    me.bound ? get('/eligibility') : Promise.resolve(null),
  ]);
  if (!ctx.alive()) return;

  // Cases: the open one, or the latest.
  caseBox.lastChild.remove();
  let open = null;
  if (casesR.status === 'fulfilled') {
    const list = casesR.value.items || [];
    open = list.find((c) => isOpen(c) && !c.for_person) || null;
    caseBox.hidden = list.length === 0;
    const c = list.find(isOpen) || list[0];
    if (c) caseBox.appendChild(
      h('a', { class: 'case-card', href: `#/cases/${encodeURIComponent(c.no)}`, 'data-test': 'home-case', 'data-no': c.no },
        h('div', { class: 'case-card__top' },
          h('span', { class: 'case-card__kind' }, c.kind_label || ''),
          statusBadge(c)),
        h('p', { class: 'case-card__no' }, `办件编号 ${c.no}`),
        h('p', { class: 'case-card__meta' }, `${c.station ? c.station.name : ''} · ${fmtDateTime(c.submitted_at)} 提交`),
        c.status === 'ready_for_pickup' ? h('p', { class: 'case-card__cta' }, '证件已到站，点此出示领证二维码') : null));
  } else {
    caseBox.appendChild(h('p', { class: 'section-empty' }, casesR.reason.message));
  }

  // Messages: the latest three.
  msgBox.lastChild.remove();
  if (msgsR.status === 'fulfilled') {
    const items = (msgsR.value.items || []);
    msgBox.hidden = items.length === 0;
    ctx.setUnread(items.filter((n) => !n.read).length);
    msgBox.appendChild(items.length
      ? h('ul', { class: 'msg-mini' }, items.slice(0, 3).map((n) => h('li', { class: ['msg-mini__item', n.read ? '' : 'is-unread'] },
        h('a', { href: n.case_no ? `#/cases/${encodeURIComponent(n.case_no)}` : '#/messages' },
          h('span', { class: 'msg-mini__title' }, n.title),
          h('span', { class: 'msg-mini__time' }, fmtDateTime(n.created_at))))))
      : h('p', { class: 'section-empty' }, '暂无消息'));
  } else {
    msgBox.appendChild(h('p', { class: 'section-empty' }, msgsR.reason.message));
  }

  // Eligibility: each entry shows its fee, or why it is not open to the
  // person. With an open case of their own the entries keep to the kind
  // screen, which says so.
  const kinds = eligR.status === 'fulfilled' && eligR.value ? eligR.value.kinds || [] : [];
  for (const e of entries) {
    const k = kinds.find((x) => x.kind === e.kind);
    if (!k) continue;
    e.el.dataset.eligible = String(Boolean(k.eligible));
    if (!k.eligible) {
      e.el.removeAttribute('href');
      e.el.setAttribute('aria-disabled', 'true');
      e.el.classList.add('is-ineligible');
      e.desc.textContent = k.reason || '';
      continue;
    }
    e.desc.textContent = fmtYuan(k.fee_yuan);
    if (open) continue;
    e.el.href = '#/apply/station';
    e.el.addEventListener('click', () => chooseKind(k, null));
  }
}
