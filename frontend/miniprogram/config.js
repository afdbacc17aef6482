// The one configuration file of the mini-program. Change these two before
// uploading a build (README: 微信小程序).
module.exports = {
  // The service's origin, without a trailing slash and without /api/v1. A
  // real deployment needs an HTTPS domain registered as the mini-program's
  // request, uploadFile and downloadFile legal domain.
  apiBase: 'https://idcard.example.gov.cn',

  // The subscribe-message (订阅消息) template ids asked for at submit, so the
  // service may send status messages. The placeholder is not a real
  // template: WeChat refuses it and the submit goes on, as after any refusal.
  subscribeTemplateIds: ['CASE_STATUS_TEMPLATE_ID_PLACEHOLDER'],
};
