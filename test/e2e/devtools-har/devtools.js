/* global chrome */
// The DevTools page: answers { har: origin } with DevTools' own HAR of the inspected tab, when that tab
// shows a page of `origin` (DevTools may be open on several tabs; only the right one answers).
chrome.runtime.onMessage.addListener((message, _sender, reply) => {
  if (!message || typeof message.har !== 'string') return false;
  chrome.devtools.inspectedWindow.eval('location.origin', (origin) => {
    if (origin === message.har) chrome.devtools.network.getHAR((har) => reply(har));
  });
  return true;
});
chrome.runtime.sendMessage('devtools-ready').catch(() => undefined);
