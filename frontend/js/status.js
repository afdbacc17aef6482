// Case statuses as the clients show them; their names are the server's
// status_label. Pure (no DOM): the mini-program's copy is generated from this
// file (scripts/shared-rules.mjs); the badge is in marks.js.

/** A case still running, as the server says (its `final` field). */
export const isOpen = (c) => c && !c.final;

/** What the applicant should know or do now, by status. */
export function nextStepText(c) {
  const window = c.collection === 'window';
  switch (c.status) {
    case 'submitted': return '受理派出所将在3个工作日内核验您的申请，核验前您可以撤回。';
    case 'accepted': return '申请已受理，户籍地县级公安机关将在3个工作日内审核签发。';
    case 'issued': return '已审核签发，省身份证制作中心将在3个工作日内制作证件。';
    case 'produced': return window ? '证件已制作完成，即将发往受理派出所。' : '证件已制作完成，即将通过EMS寄出。';
    case 'shipped': return window ? '证件已发出，到达派出所后将通知您领取。' : '证件已通过EMS寄出，请留意查收。';
    case 'ready_for_pickup': return '证件已到达派出所，请本人携带领证二维码到窗口领取。';
    case 'collected': return '证件已领取，业务办结。';
    case 'delivered': return '证件已送达签收，业务办结。';
    case 'rejected': return '申请未通过。请根据上述原因准备好材料后重新申请，或携带户口簿等材料到派出所窗口办理。';
    case 'cancelled': return '申请已撤回。如仍需办理，可重新提交申请。';
    case 'uncollected': return '已超过领取期限，请联系受理派出所重新开放领取后再到窗口领证。';
    default: return '';
  }
}
