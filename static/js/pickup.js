// Camera scanner of the pickup page. It reads the applicant's pickup QR code
// with the device camera (jsQR), puts the token into the token field and
// submits the same form a handheld scanner submits with its Enter. Without
// JavaScript or a camera the page still works with a handheld scanner or by
// typing. No inline script or style is used (the page's CSP forbids them).
(function () {
  "use strict";
  var box = document.getElementById("camera");
  var form = document.getElementById("token-form");
  var field = document.getElementById("token");
  if (!box || !form || !field) {
    return;
  }
  var start = document.getElementById("camera-start");
  var stop = document.getElementById("camera-stop");
  var status = document.getElementById("camera-status");
  var view = document.getElementById("camera-view");
  var video = document.getElementById("camera-video");
  var canvas = document.getElementById("camera-canvas");
  var stream = null;
  var timer = 0;

  function say(text) {
    status.textContent = text;
  }

  box.hidden = false;
  if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    start.disabled = true;
    say("浏览器只允许在 HTTPS 连接下使用摄像头，当前无法用摄像头扫码；请使用扫码枪，或手工输入领证码。");
    return;
  }
  if (typeof window.jsQR !== "function") {
    start.disabled = true;
    say("扫码组件未能加载，请刷新页面；也可使用扫码枪。");
    return;
  }
  var ctx = canvas.getContext("2d", { willReadFrequently: true });

  function halt() {
    clearTimeout(timer);
    if (stream) {
      stream.getTracks().forEach(function (t) { t.stop(); });
    }
    stream = null;
    video.srcObject = null;
    view.hidden = true;
    stop.hidden = true;
    start.hidden = false;
  }

  // scan decodes one frame, scaled down so that each try stays cheap, and
  // tries again a little later until a code is found or the camera stops.
  function scan() {
    if (!stream) {
      return;
    }
    if (video.readyState >= 2 && video.videoWidth > 0) {
      var scale = Math.min(1, 720 / Math.max(video.videoWidth, video.videoHeight));
      canvas.width = Math.round(video.videoWidth * scale);
      canvas.height = Math.round(video.videoHeight * scale);
      ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
      var img = ctx.getImageData(0, 0, canvas.width, canvas.height);
      var code = window.jsQR(img.data, img.width, img.height, { inversionAttempts: "attemptBoth" });
      if (code && code.data && code.data.trim() !== "") {
        view.classList.add("found");
        field.value = code.data.trim();
        say("已识别领证码，正在核验……");
        halt();
        if (typeof form.requestSubmit === "function") {
          form.requestSubmit();
        } else {
          form.submit();
        }
        return;
      }
    }
    timer = setTimeout(scan, 120);
  }

  start.addEventListener("click", function () {
    say("正在打开摄像头……");
    start.disabled = true;
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false }).then(function (s) {
      stream = s;
      video.srcObject = s;
      return video.play();
    }).then(function () {
      view.hidden = false;
      view.classList.remove("found");
      start.hidden = true;
      start.disabled = false;
      stop.hidden = false;
      say("请将申请人手机上的领证二维码对准取景框。");
      field.focus();
      scan();
    }).catch(function (err) {
      halt();
      start.disabled = false;
      var name = err && err.name;
      if (name === "NotAllowedError" || name === "SecurityError") {
        say("未获得摄像头权限：请在浏览器地址栏旁允许本网站使用摄像头，或改用扫码枪。");
      } else if (name === "NotFoundError" || name === "OverconstrainedError") {
        say("未检测到摄像头，请改用扫码枪或手工输入领证码。");
      } else if (name === "NotReadableError") {
        say("摄像头正被其他程序使用，请关闭该程序后重试。");
      } else {
        say("无法打开摄像头，请改用扫码枪或手工输入领证码。");
      }
    });
  });

  stop.addEventListener("click", function () {
    halt();
    say("");
    field.focus();
  });

  window.addEventListener("pagehide", halt);
})();
