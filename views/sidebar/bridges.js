// Each platform's page glue: how the page signs in, learns the chat's customer and puts text in the chat.
// The server says which platforms have a page bridge (data.platforms); the in-app browser's UA picks one.
import { register, getContext, getCurExternalContact, sendChatMessage } from '@wecom/jssdk';
import 'dingtalk-jsapi/platform';
// Named: this package is CommonJS, and under our "type": "module" its default import is the exports object.
import { requestAuthCode$ as requestAuthCode } from 'dingtalk-jsapi/api/runtime/permission/requestAuthCode';
import { api } from './api.js';

// 企业微信 聊天工具栏: ww.register with corp and app (agentConfig) signatures of this exact URL, from
// the server (tickets come from its cache). getCurExternalContact needs the app identity.
function wecom(p) {
  var signed = {};
  function sign(url) {
    signed[url] = signed[url] || api('GET', '/api/v1/sidebar/signature?platform=' + p.platform + '&url=' + encodeURIComponent(url));
    return signed[url];
  }
  var ready;
  function init() {
    ready = ready || sign(location.href.split('#')[0]).then(function (s) {
      register({
        corpId: s.corpId,
        agentId: s.agentId,
        jsApiList: ['getContext', 'getCurExternalContact', 'sendChatMessage'],
        getConfigSignature: function (url) { return sign(url).then(function (x) { return { timestamp: x.timestamp, nonceStr: x.nonceStr, signature: x.signature }; }); },
        getAgentConfigSignature: function (url) { return sign(url).then(function (x) { return { timestamp: x.timestamp, nonceStr: x.nonceStr, signature: x.agentSignature }; }); },
      });
    });
    return ready;
  }
  return {
    // The customer of a single chat's toolbar; a group chat names no one customer (the rep searches).
    contact: function () {
      return init().then(function () { return getContext(); }).then(function (c) {
        if (c.entry !== 'single_chat_tools' && c.entry !== 'contact_profile') return null;
        return getCurExternalContact().then(function (r) { return r.userId || null; });
      });
    },
    send: function (text) {
      return init().then(function () { return sendChatMessage({ msgtype: 'text', text: { content: text } }); }).then(function () { return 'sdk'; });
    },
  };
}

// 钉钉: 免登 with requestAuthCode (corpId from the cool app's URL, ?corpId=$CORPID$); no call names
// the chat's customer and none sends into it: search, and copy (or the app's robot posts to the group).
function dingtalk() {
  return {
    authCode: function (corpId) {
      return requestAuthCode({ corpId: corpId, clientId: '' }).then(function (r) { return r.code; });
    },
    contact: function () { return Promise.resolve(null); },
  };
}

var GLUE = { wecom: wecom, dingtalk: dingtalk };

/** The bridge for the platform whose in-app browser this is, or null (an ordinary browser). */
export function pickBridge(platforms) {
  var ua = navigator.userAgent;
  for (var i = 0; i < platforms.length; i++) {
    var p = platforms[i];
    if (GLUE[p.platform] && new RegExp(p.userAgent, 'i').test(ua)) {
      var b = GLUE[p.platform](p);
      b.platform = p.platform;
      b.label = p.label;
      b.searches = p.contact === 'search';
      return b;
    }
  }
  return null;
}
