// 实名认证: bind the account to a registry person after a real-person
// verification. The claim is checked first (POST /me/verification), then
// the face check runs here (wx.startFacialRecognitionVerify) and the binding
// spends its verifyResult (POST /me/identity).

const api = require('../../utils/api.js');
const session = require('../../utils/session.js');
const ui = require('../../utils/ui.js');
const fmt = require('../../h5rules/format.js');
const { validateIDNumber, normalizeIDNumber } = require('../../h5rules/idnumber.js');
const elder = require('../../utils/elder.js');

const NAME_RE = /^[\u4e00-\u9fa5·•A-Za-z\s]{2,30}$/;
// The errors the form can point at are said on the form, once.
const ON_FORM = ['INVALID_ID_NUMBER', 'IDENTITY_MISMATCH', 'REAL_PERSON_FAILED'];

/** The face check: resolves to its verifyResult, rejects with a message when it did not finish. */
function faceCheck(name, idNumber) {
  return new Promise((resolve, reject) => {
    wx.startFacialRecognitionVerify({
      name,
      idCardNumber: idNumber,
      checkAliveType: 2,
      success: (res) => (res.verifyResult ? resolve(res.verifyResult) : reject(new Error('人脸核身未完成，请重试'))),
      fail: (err) => reject(new Error(err && err.errCode === 90100 ? '您已取消人脸核身' : '人脸核身未完成，请在光线充足处正对手机重试')),
    });
  });
}

/** The demo provider's stand-in for the face check, where the device cannot run one (DevTools). */
function demoFaceCheck() {
  return new Promise((resolve, reject) => {
    wx.showActionSheet({
      alertText: '演示环境：请选择人脸核身结果',
      itemList: ['模拟核身通过', '模拟核身不通过'],
      success: (r) => resolve(r.tapIndex === 0 ? 'dev:pass' : 'dev:fail'),
      fail: () => reject(new Error('您已取消人脸核身')),
    });
  });
}

Component({
  behaviors: [elder.behavior],
  data: { loading: true, loadError: '', person: null, sex: '', name: '', idNumber: '', error: '', idWarn: false, busy: false },
  methods: {
    async onLoad(query) {
      if (query && query.next !== undefined) this.next = query.next;
      this.setData({ loading: true, loadError: '' });
      try {
        const me = await session.loadMe(true);
        this.setData({ loading: false, person: me.bound ? me.person : null, sex: me.person ? fmt.sexLabel(me.person.sex) : '' });
      } catch (e) {
        this.setData({ loading: false, loadError: e.message });
      }
    },
    onName(e) { this.setData({ name: e.detail.value, error: '', idWarn: false }); },
    onID(e) {
      const v = normalizeIDNumber(e.detail.value).replace(/[^0-9X]/g, '').slice(0, 18);
      const problem = v.length === 18 ? validateIDNumber(v) : null;
      this.setData({ idNumber: v, error: problem || '', idWarn: Boolean(problem) });
      return v;
    },
    onIDBlur() {
      if (this.data.idNumber) {
        const problem = validateIDNumber(this.data.idNumber);
        this.setData({ error: problem || '', idWarn: Boolean(problem) });
      }
    },
    setError(msg, onID) { this.setData({ error: msg || '', idWarn: Boolean(msg) && Boolean(onID) }); },
    async submit() {
      if (this.data.busy) return;
      const name = this.data.name.trim();
      const idNumber = normalizeIDNumber(this.data.idNumber);
      if (!name) { this.setError('请输入姓名'); return; }
      if (!NAME_RE.test(name)) { this.setError('姓名应为2至30个汉字或字母'); return; }
      const problem = validateIDNumber(idNumber);
      if (problem) { this.setError(problem, true); return; }
      this.setError('');
      this.setData({ busy: true });
      const claim = { name, id_number: idNumber };
      let v;
      try {
        v = await api.post('/me/verification', claim);
      } catch (e) {
        this.fail(e);
        return;
      }
      let verifyResult;
      try {
        verifyResult = await faceCheck(name, idNumber).catch((e) => {
          if (v && v.provider === 'demo') return demoFaceCheck();
          throw e;
        });
      } catch (e) {
        this.setData({ busy: false });
        this.setError(e.message);
        return;
      }
      try {
        const m = await api.post('/me/identity', Object.assign({}, claim, { verify_result: verifyResult }));
        session.setMe(m);
        this.setData({ busy: false });
        ui.toast('认证成功');
        this.onward();
      } catch (e) {
        this.fail(e);
      }
    },
    fail(e) {
      this.setData({ busy: false });
      if (ON_FORM.indexOf(e.code) >= 0) { this.setError(e.message, e.code === 'INVALID_ID_NUMBER'); return; }
      ui.showError(e, '认证未通过');
    },
    onward() {
      const n = this.next ? decodeURIComponent(this.next) : '';
      if (n && n.startsWith('/pages/') && !n.startsWith('/pages/bind') && !n.startsWith('/pages/login')) ui.go(n, 'redirect');
      else ui.go('/pages/home/home');
    },
  },
});
