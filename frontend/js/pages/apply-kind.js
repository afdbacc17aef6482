// 申请 step 1: the kind of application, with the fee and, when the person may
// not apply online for it, the reason.

import { get } from '../api.js';
import { h, mount, pageHeader, loadingBlock } from '../ui.js';
import { fmtDate, fmtYuan } from '../format.js';
import { getDraft, saveDraft } from '../store.js';
import { isOpen } from '../status.js';
import { steps, chooseKind } from '../steps.js';
import { statusBadge } from '../marks.js';

const KIND_DESC = {
  expiry_renewal: '3个月内到期或已过期，需新相片。',
  damage_renewal: '证件损坏，领证时交回旧证。',
  loss_replacement: '证件丢失，受理后原证作废。',
};

export async function render(ctx) {
  const { root, query } = ctx;
  mount(root, pageHeader('选择办理类型', '#/'), loadingBlock());

  // 监护人代办: ?ward=ID applies for a child bound in 我的被监护人; the
  // eligibility, fee and open case are the child's.
  const draft0 = getDraft();
  const wardParam = query.get('ward');
  const wardId = wardParam !== null ? (Number(wardParam) || null) : (draft0.ward ? draft0.ward.id : null);
  const [elig, list, wards] = await Promise.all([
    get(wardId ? `/eligibility?ward_id=${wardId}` : '/eligibility'), get('/cases'), get('/me/wards')]);
  if (!ctx.alive()) return;
  const ward = wardId ? (wards.items || []).find((w) => w.id === wardId) || null : null;
  if (wardParam !== null || (draft0.ward && !ward)) saveDraft({ ward: ward ? { id: ward.id, name: ward.person.name, id_number_masked: ward.person.id_number_masked } : null });

  const forName = (c) => (c.for_person ? c.for_person.name : null);
  const open = (list.items || []).find((c) => isOpen(c) && forName(c) === (ward ? ward.person.name : null));
  const draft = getDraft();
  const wanted = query.get('kind') || draft.kind;

  const cardNote = elig.card_long_term ? '您的身份证长期有效。'
    : elig.card_expires_on ? `您的身份证有效期至${fmtDate(elig.card_expires_on)}。` : '';

  const choose = (k) => {
    chooseKind(k);
    ctx.go('#/apply/station');
  };

  const cards = (elig.kinds || []).map((k) => {
    const disabled = !k.eligible || Boolean(open);
    return h('button', {
      type: 'button',
      class: ['kind-card', k.eligible ? '' : 'is-ineligible', k.kind === wanted && k.eligible ? 'is-selected' : ''],
      id: `kind-${k.kind}`,
      'data-test': `kind-${k.kind}`,
      'data-kind': k.kind,
      'data-eligible': k.eligible ? 'true' : 'false',
      disabled,
      'aria-describedby': `kind-${k.kind}-desc`,
      onclick: () => choose(k),
    },
    h('span', { class: 'kind-card__hd' },
      h('span', { class: 'kind-card__label' }, k.label),
      h('span', { class: 'kind-card__fee', 'data-test': 'kind-fee' }, fmtYuan(k.fee_yuan))),
    h('span', { class: 'kind-card__desc', id: `kind-${k.kind}-desc` },
      k.eligible ? KIND_DESC[k.kind] || '' : null,
      k.eligible && k.needs_photo ? h('span', { class: 'tag' }, '需相片') : null,
      !k.eligible ? h('span', { class: 'kind-card__reason', 'data-test': 'kind-reason' },
        h('i', { class: 'weui-icon-info-circle', 'aria-hidden': 'true' }), ' ', k.reason) : null));
  });

  mount(root,
    pageHeader('选择办理类型', '#/'),
    steps('kind', draft.needsPhoto),
    ward ? h('div', { class: 'notice notice_ok', 'data-test': 'apply-for-ward' },
      h('div', { class: 'notice__bd' },
        h('strong', null, `监护人代办：为${ward.person.name}申请`),
        h('p', null, `${ward.relation_label}代为申请，领证时请携子女本人一同前往。`),
        h('a', { class: 'weui-link', href: '#/apply?ward=' }, '改为本人申请'))) : null,
    open ? h('a', { class: 'notice notice_warn', href: `#/cases/${encodeURIComponent(open.no)}`, 'data-test': 'open-case-notice' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '您有一件正在办理的申请'),
        h('p', null, `办件编号 ${open.no}（${open.kind_label || ''}），办结前不能再次申请。点此查看。`)),
      statusBadge(open)) : null,
    cardNote ? h('p', { class: 'hint', 'data-test': 'card-note' }, cardNote) : null,
    h('div', { class: 'kind-list' }, cards),
    h('div', { class: 'weui-cells__tips tips-block' },
      h('span', { class: 'fine-print' }, '收费依据：发改价格〔2003〕2322号；邮寄的邮费由申请人承担。', h('br')),
      '不能网上办的，请带户口簿到户籍地派出所办理。'));

  const sel = root.querySelector('.kind-card.is-selected');
  if (sel && !sel.disabled) sel.focus({ preventScroll: false });
}
