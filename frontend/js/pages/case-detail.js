// 办件详情: status, due dates, rejection reason and next steps, EMS tracking
// number, the vertical timeline; 撤回 while submitted, 领证二维码 when ready.

import { get, post, seg } from '../api.js';
import { h, mount, pageHeader, loadingBlock, confirmDialog, alertDialog, showError, toast, setBusy, previewItem } from '../ui.js';
import { fmtDate, fmtDateTime, fmtYuan, fmtPredicted } from '../format.js';
import { nextStepText, isOpen } from '../status.js';
import { caseDueProvisional } from '../provisional.js';
import { statusBadge, provisionalMark } from '../marks.js';
import { saveDraft, clearDraft } from '../store.js';

/** 支付: the case's fee online. Inside WeChat the official account's JSAPI
 * pays (WeixinJSBridge); the demo provider pays at once. */
function payButton(ctx, c) {
  const btn = h('button', { type: 'button', class: 'weui-btn weui-btn_primary', id: 'btn-pay', 'data-test': 'pay' },
    `支付 ${fmtYuan(c.amount_due_yuan)}`);
  btn.addEventListener('click', async () => {
    setBusy(btn, true, '正在支付');
    try {
      const r = await post(`/cases/${seg(c.no)}/payment`, { channel: 'jsapi' });
      if (r.status !== 'paid' && r.params) {
        await new Promise((resolve, reject) => {
          if (!window.WeixinJSBridge) { reject(new Error('请在微信中打开本页面后支付，或到窗口缴费')); return; }
          window.WeixinJSBridge.invoke('getBrandWCPayRequest', r.params, (res) => {
            if (res && res.err_msg === 'get_brand_wcpay_request:ok') resolve(); else reject(new Error('支付未完成'));
          });
        });
      }
      setBusy(btn, false);
      toast('支付成功');
      if (ctx.alive()) ctx.rerender();
    } catch (e) {
      setBusy(btn, false);
      showError(e, '支付未完成');
    }
  });
  return btn;
}

const TEMP_CARD_STATUSES = new Set(['accepted', 'issued', 'produced', 'shipped', 'ready_for_pickup']);

/** The stages of the route, for the progress bar at the top. */
function progress(c) {
  if (c.status === 'rejected' || c.status === 'cancelled') return null;
  const mail = c.collection === 'mail';
  const stages = [
    { label: '提交', done: true },
    { label: '核验', statuses: ['accepted'] },
    { label: '签发', statuses: ['issued'] },
    { label: '制作', statuses: ['produced'] },
    mail ? { label: '寄出', statuses: ['shipped'] } : { label: '到站', statuses: ['ready_for_pickup', 'uncollected'] },
    mail ? { label: '签收', statuses: ['delivered'] } : { label: '领取', statuses: ['collected'] },
  ];
  const order = ['submitted', 'accepted', 'issued', 'produced', mail ? 'shipped' : 'ready_for_pickup', mail ? 'delivered' : 'collected'];
  let at = order.indexOf(c.status);
  if (c.status === 'shipped' && !mail) at = 3; // on its way to the station
  if (c.status === 'uncollected') at = 4;
  return h('ol', { class: 'steps steps_progress', 'aria-label': '办理进度' },
    stages.map((s, i) => h('li', { class: ['steps__item', i <= at ? 'is-done' : '', i === at ? 'is-current' : ''] },
      h('span', { class: 'steps__dot' }, i <= at ? '✓' : String(i + 1)),
      h('span', { class: 'steps__label' }, s.label))));
}

/** The temporary card asked for while the case runs, if any. */
function temporaryCard(c) {
  const t = c.temporary_card;
  if (!t) return null;
  const issued = t.status === 'issued';
  return h('section', { class: 'card', id: 'temp-card', 'data-test': 'temp-card-box', 'data-status': t.status },
    h('h2', { class: 'card__title' }, '临时身份证'),
    h('div', { class: 'weui-form-preview__bd' },
      previewItem('状态', issued ? '已签发' : '已申请，待户籍地县级公安机关签发', { id: 'temp-card-status' }),
      issued && t.no ? previewItem('证件号码', t.no, { id: 'temp-card-no' }) : null,
      issued && t.valid_until ? previewItem('有效期至', fmtDate(t.valid_until), { id: 'temp-card-valid' }) : null),
    issued ? h('p', { class: 'muted' }, '请按消息通知到户籍地县级公安机关领取临时身份证。') : null);
}

function timeline(c) {
  const items = [...(c.timeline || [])].reverse(); // newest first
  if (!items.length) return null;
  return h('section', { class: 'card' },
    h('h2', { class: 'card__title' }, '办理记录'),
    h('ol', { class: 'timeline', id: 'timeline', 'data-test': 'timeline' },
      items.map((t, i) => h('li', { class: ['timeline__item', i === 0 ? 'is-latest' : ''], 'data-test': 'timeline-item', 'data-status': t.status },
        h('span', { class: 'timeline__dot', 'aria-hidden': 'true' }),
        h('div', { class: 'timeline__bd' },
          h('p', { class: 'timeline__title' },
            h('span', { class: 'timeline__status' }, t.status_label),
            t.action_label ? h('span', { class: 'timeline__action' }, t.action_label) : null),
          h('p', { class: 'timeline__time' }, h('time', { datetime: t.at }, fmtDateTime(t.at))),
          t.office ? h('p', { class: 'timeline__office' }, t.office) : null,
          t.note ? h('p', { class: 'timeline__note' }, t.note) : null)))));
}

export async function render(ctx) {
  const { root, params } = ctx;
  const no = params.no;
  mount(root, pageHeader('办件详情', '#/cases'), loadingBlock());
  let c;
  try {
    c = await get(`/cases/${seg(no)}`);
  } catch (e) {
    if (!ctx.alive()) return;
    if (e.status === 404) {
      mount(root, pageHeader('办件详情', '#/cases'),
        h('div', { class: 'weui-msg', 'data-test': 'case-not-found' },
          h('div', { class: 'weui-msg__icon-area' }, h('i', { class: 'weui-icon-info weui-icon_msg' })),
          h('div', { class: 'weui-msg__text-area' },
            h('h2', { class: 'weui-msg__title' }, '未找到该办件'),
            h('p', { class: 'weui-msg__desc' }, e.message)),
          h('div', { class: 'weui-msg__opr-area' }, h('p', { class: 'weui-btn-area' },
            h('a', { class: 'weui-btn weui-btn_default', href: '#/cases' }, '返回我的办件')))));
      return;
    }
    throw e;
  }
  if (!ctx.alive()) return;

  const open = isOpen(c);
  const station = c.station || {};

  // ---- actions ----
  const actions = [];
  // A card waiting at the station: showing the pickup QR is what the
  // citizen came for, so it comes first, right under the status.
  const pickupFirst = c.status === 'ready_for_pickup'
    ? h('div', { class: 'weui-btn-area pickup-first' },
      h('a', { class: 'weui-btn weui-btn_primary', href: `#/cases/${encodeURIComponent(c.no)}/pickup`, id: 'btn-pickup-qr', 'data-test': 'pickup-qr-button' }, '出示领证二维码'))
    : null;
  if (c.status === 'submitted') {
    const btn = h('button', { type: 'button', class: 'weui-btn weui-btn_warn', id: 'btn-cancel', 'data-test': 'cancel-case' }, '撤回申请');
    btn.addEventListener('click', async () => {
      const yes = await confirmDialog('撤回后本次申请将终止，如需办理须重新提交。确定撤回吗？', { title: '撤回申请', ok: '确定撤回', warn: true });
      if (!yes || !ctx.alive()) return;
      setBusy(btn, true, '正在撤回');
      try {
        await post(`/cases/${seg(c.no)}/cancel`);
        toast('已撤回');
        ctx.rerender();
      } catch (e) {
        setBusy(btn, false);
        await showError(e, '无法撤回');
        if (e.status === 409) ctx.rerender();
      }
    });
    actions.push(btn);
  }
  if (c.payable) {
    actions.push(payButton(ctx, c));
  }
  if (c.changeable) {
    actions.push(h('a', { class: 'weui-btn weui-btn_default', id: 'btn-change', 'data-test': 'change-case', href: `#/cases/${encodeURIComponent(c.no)}/change` }, '变更领证信息'));
  }
  if (TEMP_CARD_STATUSES.has(c.status) && !c.temporary_card) {
    const btn = h('button', { type: 'button', class: 'weui-btn weui-btn_default', id: 'btn-temp-card', 'data-test': 'temp-card' }, '申领临时身份证');
    btn.addEventListener('click', async () => {
      const yes = await confirmDialog('办理期间如需使用身份证，可申领临时居民身份证（工本费10元，有效期3个月），由户籍地县级公安机关签发，请留意消息通知后前往领取。', { title: '申领临时身份证', ok: '确定申领' });
      if (!yes || !ctx.alive()) return;
      setBusy(btn, true, '正在提交');
      try {
        await post(`/cases/${seg(c.no)}/temporary-card`);
        setBusy(btn, false);
        await alertDialog('已提交临时身份证申请，签发后会通过消息通知您。', '申领成功');
        if (ctx.alive()) ctx.rerender();
      } catch (e) {
        setBusy(btn, false);
        showError(e, '无法申领');
      }
    });
    actions.push(btn);
  }
  if (c.status === 'rejected' || c.status === 'cancelled') {
    // Applying again starts from this case's choices (the kind, the
    // station, the route); an EMS address is typed again, since the case
    // shows it masked.
    actions.push(h('button', {
      type: 'button', class: 'weui-btn weui-btn_primary', id: 'btn-reapply', 'data-test': 'reapply',
      onclick: () => {
        clearDraft();
        saveDraft({ kind: c.kind, station: c.station, collection: c.collection });
        ctx.go(`#/apply?kind=${encodeURIComponent(c.kind)}`);
      },
    }, '重新申请'));
  }
  const refresh = h('button', { type: 'button', class: 'weui-btn weui-btn_default', id: 'btn-refresh', 'data-test': 'refresh' }, '刷新');
  refresh.addEventListener('click', () => ctx.rerender());
  actions.push(refresh);

  // ---- due dates ----
  const dueRows = [];
  if (fmtPredicted(c)) {
    dueRows.push(h('div', { class: 'due due_predicted', id: 'predicted-done', 'data-test': 'predicted' },
      h('span', { class: 'due__k' }, '预计完成'),
      h('span', { class: 'due__v' }, fmtPredicted(c).replace(/^预计 /, ''))));
  }
  if (open && c.stage_due_at) {
    const left = c.working_days_left;
    const leftText = c.overdue ? '已超过期限' : (typeof left === 'number' ? `剩余${left}个工作日` : '');
    dueRows.push(h('div', { class: ['due', c.overdue ? 'is-overdue' : ''], id: 'stage-due', 'data-test': 'stage-due' },
      h('span', { class: 'due__k' }, c.status === 'ready_for_pickup' ? '领取期限' : '本阶段期限'),
      h('span', { class: 'due__v' }, `${fmtDateTime(c.stage_due_at)}前`),
      provisionalMark(caseDueProvisional(c, 'stage_due_at')),
      leftText ? h('span', { class: ['due__left', c.overdue ? 'is-overdue' : ''] }, leftText) : null));
  }
  if (c.pickup_due_at && (c.status === 'ready_for_pickup' || c.status === 'uncollected') && c.pickup_due_at !== c.stage_due_at) {
    dueRows.push(h('div', { class: 'due', id: 'pickup-due', 'data-test': 'pickup-due' },
      h('span', { class: 'due__k' }, '领证截止'),
      h('span', { class: 'due__v' }, `${fmtDate(c.pickup_due_at)}前`),
      provisionalMark(caseDueProvisional(c, 'pickup_due_at'))));
  }
  // A case that has ended (withdrawn, rejected, collected) is past its
  // legal period's purpose: its due date would only confuse.
  if (open && c.legal_due_at) {
    dueRows.push(h('div', { class: 'due', id: 'legal-due', 'data-test': 'legal-due' },
      h('span', { class: 'due__k' }, '法定办结期限'),
      h('span', { class: 'due__v' }, `${fmtDate(c.legal_due_at)}前`),
      provisionalMark(caseDueProvisional(c, 'legal_due_at')),
      c.extension_days > 0 ? h('span', { class: 'due__left' }, `已依法延长${c.extension_days}日`) : null));
  }

  // ---- state-specific notices ----
  let notice = null;
  if (c.status === 'rejected') {
    notice = h('div', { class: 'notice notice_danger', id: 'reject-box', 'data-test': 'reject-box' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '未通过原因'),
        h('p', { class: 'notice__reason', id: 'reject-reason', 'data-test': 'reject-reason' }, c.reject_reason || '未说明原因，请联系受理派出所。'),
        h('p', { class: 'notice__next' }, nextStepText(c)),
        station.phone ? h('p', null, '咨询电话：', h('a', { class: 'weui-link', href: `tel:${station.phone}` }, station.phone)) : null));
  } else if (c.status === 'ready_for_pickup') {
    notice = h('div', { class: 'notice notice_ok', 'data-test': 'pickup-notice' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '证件已到站，请前往领取'),
        h('p', null, `${station.name || ''}　${station.address || ''}`),
        station.hours ? h('p', null, `办公时间：${station.hours}`) : null,
        c.returns_old_card ? h('p', { class: 'notice__em', 'data-test': 'old-card-reminder' }, '请携带旧身份证，领取新证时须交回旧证。') : null));
  } else if (c.status === 'uncollected') {
    notice = h('div', { class: 'notice notice_warn' },
      h('div', { class: 'notice__bd' },
        h('strong', null, '已超过领取期限'),
        h('p', null, nextStepText(c)),
        station.phone ? h('p', null, '派出所电话：', h('a', { class: 'weui-link', href: `tel:${station.phone}` }, station.phone)) : null));
  }

  mount(root,
    pageHeader('办件详情', '#/cases'),
    h('section', { class: 'case-head card' },
      h('div', { class: 'case-head__top' },
        h('span', { class: 'case-head__kind', 'data-test': 'case-kind' }, c.kind_label || c.kind),
        statusBadge(c, { id: 'case-status' })),
      h('p', { class: 'case-head__no' }, '办件编号 ', h('span', { id: 'case-no', 'data-test': 'case-no' }, c.no)),
      h('p', { class: 'case-head__next', 'data-test': 'next-step' }, c.status === 'rejected' ? '申请未通过，详见下方原因。' : nextStepText(c)),
      progress(c)),
    pickupFirst,
    notice,
    dueRows.length ? h('section', { class: 'card' }, h('h2', { class: 'card__title' }, '办理期限'), dueRows) : null,
    c.tracking_no ? h('section', { class: 'card tracking', 'data-test': 'tracking' },
      h('h2', { class: 'card__title' }, c.collection === 'mail' ? 'EMS邮寄' : '证件物流'),
      h('p', { class: 'tracking__line' },
        h('span', { class: 'tracking__k' }, '运单号'),
        h('span', { class: 'tracking__no', id: 'tracking-no', 'data-test': 'tracking-no' }, c.tracking_no),
        h('button', {
          type: 'button', class: 'weui-btn weui-btn_mini weui-btn_default tracking__copy', id: 'btn-copy-tracking',
          onclick: async () => {
            try { await navigator.clipboard.writeText(c.tracking_no); toast('已复制'); } catch { toast('请长按运单号复制', { icon: 'none' }); }
          },
        }, '复制')),
      h('p', { class: 'muted' }, '可在中国邮政EMS官网、“中国邮政”App或拨打11183查询物流。')) : null,
    h('section', { class: 'weui-form-preview card' },
      h('div', { class: 'weui-form-preview__bd' },
        c.for_person ? previewItem('监护人代办', `为${c.for_person.name}（${c.for_person.id_number_masked}）申请`, { 'data-test': 'case-for-person' }) : null,
        previewItem('受理派出所', station.name || '', { 'data-test': 'case-station' }),
        station.address ? previewItem('地址', station.address) : null,
        station.phone ? previewItem('电话', station.phone) : null,
        station.hours ? previewItem('办公时间', station.hours) : null,
        previewItem('领证方式', c.collection_label),
        c.mail ? previewItem('收件信息', `${c.mail.recipient} ${c.mail.phone} ${c.mail.address}`) : null,
        previewItem('费用', fmtYuan(c.fee_yuan)),
        previewItem('支付状态', c.payment_status_label || '', { id: 'payment-status', 'data-status': c.payment_status || '' }),
        previewItem('提交时间', fmtDateTime(c.submitted_at)),
        c.accepted_at ? previewItem('受理时间', fmtDateTime(c.accepted_at)) : null,
        c.new_card_expires_on ? previewItem('新证有效期至', fmtDate(c.new_card_expires_on)) : null)),
    temporaryCard(c),
    timeline(c),
    h('div', { class: 'weui-btn-area case-actions' }, actions));
}
