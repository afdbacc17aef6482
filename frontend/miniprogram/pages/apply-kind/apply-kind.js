// 申请 step 1: the kind of application, with the fee and, when the person may
// not apply online for it, the server's reason.

const api = require('../../utils/api.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const session = require('../../utils/session.js');
const { isOpen } = require('../../h5rules/status.js');
const { steps } = require('../../utils/steps.js');
const elder = require('../../utils/elder.js');

const KIND_DESC = {
  expiry_renewal: '证件有效期将满（3个月内）或已过期。需提供符合标准的新相片。',
  damage_renewal: '证件损坏无法正常使用。沿用库存相片和指纹，领证时交回旧证。',
  loss_replacement: '证件丢失需补领。受理后原证件将被宣布作废。',
};

Component({
  behaviors: [elder.behavior],
  data: { loading: true, error: '', steps: [], open: null, ward: null, cardNote: '', kinds: [] },
  methods: {
    onLoad(query) {
      this.wanted = (query && query.kind) || '';
      // 监护人代办: ?ward=ID applies for a child of 我的被监护人, ?ward= for oneself.
      this.wardParam = query && query.ward !== undefined ? query.ward : null;
      this.load();
    },
    async load() {
      this.setData({ loading: true, error: '' });
      try {
        const me = await ui.requireMe({ bound: true, back: '/pages/apply-kind/apply-kind' });
        if (!me) return;
        const draft0 = session.getDraft();
        const wardId = this.wardParam !== null ? (Number(this.wardParam) || null) : (draft0.ward ? draft0.ward.id : null);
        const [elig, list, wards] = await Promise.all([
          api.get('/eligibility', { query: { ward_id: wardId } }), api.get('/cases'), api.get('/me/wards')]);
        const w = wardId ? (wards.items || []).find((x) => x.id === wardId) || null : null;
        if (this.wardParam !== null || (draft0.ward && !w)) {
          session.saveDraft({ ward: w ? { id: w.id, name: w.person.name, id_number_masked: w.person.id_number_masked } : null });
        }
        const forName = (c) => (c.for_person ? c.for_person.name : null);
        const open = (list.items || []).find((c) => isOpen(c) && forName(c) === (w ? w.person.name : null)) || null;
        const draft = session.getDraft();
        const wanted = this.wanted || draft.kind;
        this.kinds = elig.kinds || [];
        this.setData({
          loading: false,
          steps: steps('kind', draft.needsPhoto),
          open,
          ward: w ? { name: w.person.name, relation: w.relation_label } : null,
          cardNote: elig.card_long_term ? '您当前的身份证为长期有效。'
            : elig.card_expires_on ? `您当前的身份证有效期至 ${fmt.fmtDate(elig.card_expires_on)}。` : '',
          kinds: this.kinds.map((k) => ({
            kind: k.kind, label: k.label, fee: fmt.fmtYuan(k.fee_yuan), eligible: k.eligible, reason: k.reason || '',
            needs_photo: k.needs_photo, desc: KIND_DESC[k.kind] || '', selected: k.kind === wanted && k.eligible,
            disabled: !k.eligible || Boolean(open),
          })),
        });
      } catch (e) {
        this.setData({ loading: false, error: e.message });
      }
    },
    choose(e) {
      const k = this.kinds[e.currentTarget.dataset.index];
      if (!k || !k.eligible || this.data.open) return;
      const patch = { kind: k.kind, kindLabel: k.label, fee: k.fee_yuan, needsPhoto: Boolean(k.needs_photo) };
      if (!k.needs_photo) patch.photo = null;
      session.saveDraft(patch);
      wx.navigateTo({ url: '/pages/apply-station/apply-station' });
    },
    applyForSelf() { this.wardParam = ''; this.load(); },
    openCase(e) { wx.navigateTo({ url: `/pages/case-detail/case-detail?no=${e.currentTarget.dataset.no}` }); },
  },
});
