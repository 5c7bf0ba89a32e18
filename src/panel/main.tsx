import { render } from 'preact';
import { App } from './App';
import { connect } from './connection';
import { inDevtools, inspectedTabId, loadStack, saveStack, watchTheme, type Theme } from './env';
import { createStore } from './store';
import './panel.css';

const applyTheme = (t: Theme) => {
  document.documentElement.dataset.theme = t;
};
applyTheme(watchTheme(applyTheme));

const tabId = inspectedTabId();
const store = createStore(tabId, { load: loadStack, save: saveStack });
const connection = tabId === null ? null : connect(tabId, (actions) => store.dispatchAll(actions));
// Read API for tests and debugging: messages from the worker dropped as malformed.
declare global {
  var __corsLensPanel: { rejectedMessages(): number } | undefined;
}
globalThis.__corsLensPanel = {
  rejectedMessages: () => connection?.rejectedMessages() ?? 0,
};

const popOut =
  tabId !== null && inDevtools()
    ? () => {
        const url = `${location.origin}${location.pathname}?tabId=${tabId}`;
        window.open(url, `cors-lens-${tabId}`, 'popup,width=1200,height=760');
      }
    : undefined;

const root = document.getElementById('app');
if (root) {
  render(
    <App
      store={store}
      onPopOut={popOut}
      send={
        connection && tabId !== null
          ? (m) =>
              connection.send(
                m.type === 'clear'
                  ? { type: 'clear', tabId }
                  : { type: 'set-preserve-log', tabId, preserveLog: m.preserveLog },
              )
          : undefined
      }
    />,
    root,
  );
}
