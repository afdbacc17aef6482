// 首页: the ways in (办理入口), the current case (我的办件) and the latest messages.

import { get } from '../api.js';
import { h, mount, loadingBlock } from '../ui.js';
import { fmtDate, fmtDateTime } from '../format.js';
import { isOpen } from '../status.js';
import { statusBadge } from '../marks.js';
import { elderSwitch } from '../mode.js';

const ENTRIES = [
  { kind: 'expiry_renewal', label: '到期换领', desc: '到期前3个月起', icon: 'renew' },
  { kind: 'damage_renewal', label: '损坏换领', desc: '证件损坏无法使用', icon: 'damage' },
  { kind: 'loss_replacement', label: '丢失补领', desc: '证件遗失需补领', icon: 'loss' },
];

export async function render(ctx) {
  const { root, me } = ctx;
  const who = me.person ? me.person.name : (me.phone_masked || '微信用户');

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
  const cardInfo = h('p', { class: 'home-hero__card', 'data-test': 'card-expiry' });

  mount(root,
    h('header', { class: 'home-hero' },
      h('div', { class: 'home-hero__brand' },
        h('img', { src: 'img/logo.svg', alt: '', width: '40', height: '40', class: 'home-hero__logo' }),
        h('div', null,
          h('h1', { class: 'home-hero__title', tabindex: '-1' }, '居民身份证网上办理'),
          h('p', { class: 'home-hero__sub' }, '贵州公安'))),
      h('p', { class: 'home-hero__hello', 'data-test': 'hello' }, `您好，${who}`),
      cardInfo),
    elderSwitch(h, 'home-elder'),
    me.bound ? null : h('div', { class: 'notice notice_warn', role: 'note' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '尚未实名认证'),
        h('p', null, '完成实名认证后即可网上申请换领、补领身份证。')),
      h('a', { class: 'weui-btn weui-btn_mini weui-btn_primary', href: '#/bind', id: 'btn-go-bind', 'data-test': 'go-bind' }, '去认证')),
    h('section', { class: 'home-section', 'aria-labelledby': 'home-apply-title' },
      h('div', { class: 'section-hd' }, h('h2', { class: 'section-hd__title', id: 'home-apply-title' }, '办理入口')),
      h('div', { class: 'entry-grid' },
        ENTRIES.map((e) => h('a', {
          class: 'entry', href: `#/apply?kind=${e.kind}`, id: `entry-${e.kind}`, 'data-test': `entry-${e.kind}`,
        },
        h('span', { class: `entry__icon entry__icon_${e.icon}`, 'aria-hidden': 'true' }),
        h('span', { class: 'entry__label' }, e.label),
        h('span', { class: 'entry__desc' }, e.desc)))),
      h('div', { class: 'weui-btn-area home-apply' },
        h('a', { class: 'weui-btn weui-btn_primary', href: '#/apply', id: 'btn-apply', 'data-test': 'apply' }, '我要申请'))),
    caseBox,
    msgBox,
    h('p', { class: 'page-foot fine-print' }, '法定办理时限：自申请之日起60日内 · 收费标准：到期换领20元，损坏换领、丢失补领40元'));

  const [casesR, msgsR, eligR] = await Promise.allSettled([
    get('/cases'),
    get('/notifications'),
    me.bound ? get('/eligibility') : Promise.resolve(null),
  ]);
  if (!ctx.alive()) return;

  // Cases: the open one, or the latest.
  caseBox.lastChild.remove();
  if (casesR.status === 'fulfilled') {
    const list = casesR.value.items || [];
    const c = list.find(isOpen) || list[0];
    caseBox.appendChild(c
      ? h('a', { class: 'case-card', href: `#/cases/${encodeURIComponent(c.no)}`, 'data-test': 'home-case', 'data-no': c.no },
        h('div', { class: 'case-card__top' },
          h('span', { class: 'case-card__kind' }, c.kind_label || ''),
          statusBadge(c)),
        h('p', { class: 'case-card__no' }, `办件编号 ${c.no}`),
        h('p', { class: 'case-card__meta' }, `${c.station ? c.station.name : ''} · ${fmtDateTime(c.submitted_at)} 提交`),
        c.status === 'ready_for_pickup' ? h('p', { class: 'case-card__cta' }, '证件已到站，点此出示领证二维码') : null)
      : h('p', { class: 'section-empty' }, '暂无办件，点击“我要申请”开始办理。'));
  } else {
    caseBox.appendChild(h('p', { class: 'section-empty' }, casesR.reason.message));
  }

  // Messages: the latest three.
  msgBox.lastChild.remove();
  if (msgsR.status === 'fulfilled') {
    const items = (msgsR.value.items || []);
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

  if (eligR.status === 'fulfilled' && eligR.value) {
    const e = eligR.value;
    cardInfo.textContent = e.card_long_term ? '您的身份证为长期有效'
      : e.card_expires_on ? `您的身份证有效期至 ${fmtDate(e.card_expires_on)}` : '';
  }
}
