import browser from '../platform/browser';

// The path must be root-absolute: Firefox needs it, and relative paths break in Chrome too.
void browser.devtools.panels.create('CORS', '/icons/icon-32.png', '/src/panel/panel.html');
