/* global browser */
// The DevTools page: the test asks by setting `window.__harAsk` (a number) in the inspected page; this
// page answers by setting `window.__har = { ask, log }` there, `log` being the network monitor's HAR
// (browser.devtools.network.getHAR(), the exporter behind "Save All As HAR"). No network request is
// made to answer, so the answer adds nothing to the HAR it carries.
let answered = 0;
const tick = async () => {
  try {
    const [ask] = await browser.devtools.inspectedWindow.eval('window.__harAsk || 0');
    if (typeof ask === 'number' && ask !== 0 && ask !== answered) {
      const log = await browser.devtools.network.getHAR();
      await browser.devtools.inspectedWindow.eval(`window.__har = ${JSON.stringify({ ask, log })};`);
      answered = ask;
    }
  } catch {
    // The page is navigating, or DevTools is not ready yet: ask again on the next tick.
  }
  setTimeout(tick, 100);
};
tick();
