/* global chrome */
// The test asks the worker; the worker asks the DevTools page.
let ready = false;
chrome.runtime.onMessage.addListener((message) => {
  if (message === 'devtools-ready') ready = true;
});
globalThis.devtoolsReady = () => ready;
globalThis.devtoolsHar = (origin) => chrome.runtime.sendMessage({ har: origin });
