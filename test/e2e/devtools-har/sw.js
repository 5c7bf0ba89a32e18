/* global chrome */
// The test asks the worker; the worker asks the DevTools page. DevTools may be open on more than one
// tab, and the DevTools page of the test's tab may not be listening yet: an answer that does not come
// within 3 s is null, and the test asks again.
let ready = false;
chrome.runtime.onMessage.addListener((message) => {
  if (message === 'devtools-ready') ready = true;
});
globalThis.devtoolsReady = () => ready;
globalThis.devtoolsHar = (origin) =>
  Promise.race([
    chrome.runtime.sendMessage({ har: origin }).catch(() => null),
    new Promise((resolve) => setTimeout(() => resolve(null), 3000)),
  ]);
