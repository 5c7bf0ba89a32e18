/**
 * `npm start`: builds the extension (see package.json) and opens Chromium with it loaded, DevTools
 * open on the page you name: `npm start -- http://localhost:5173`. Uses a fresh throwaway profile.
 * Chromium is `CHROME_PATH` or /usr/bin/chromium (Google Chrome 137+ ignores --load-extension).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ext = resolve('dist/chrome');
const browser = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const url = process.argv[2] ?? 'about:blank';

if (!existsSync(join(ext, 'manifest.json'))) {
  console.error(`No build in ${ext}: run npm run build first.`);
  process.exit(1);
}
if (!existsSync(browser)) {
  console.error(
    `Chromium not found at ${browser}. Install it (apt-get install chromium) or set CHROME_PATH.`,
  );
  process.exit(1);
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  console.error(
    'No display. Load the extension in your own Chromium instead: chrome://extensions → Developer mode → ' +
      `Load unpacked → ${ext}. (npm run demo runs headless and saves screenshots.)`,
  );
  process.exit(1);
}

const profile = mkdtempSync(join(tmpdir(), 'cors-lens-profile-'));
const args = [
  `--user-data-dir=${profile}`,
  `--disable-extensions-except=${ext}`,
  `--load-extension=${ext}`,
  '--auto-open-devtools-for-tabs',
  '--no-first-run',
  '--no-default-browser-check',
  url,
];
console.log(`CORS Lens: ${browser} with ${ext}; open the CORS tab in DevTools. Profile: ${profile}`);
const child = spawn(browser, args, { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
