/**
 * A Vite plugin that takes `dangerouslySetInnerHTML` out of Preact's renderer in the extension build.
 *
 * Preact writes `dom.innerHTML = props.dangerouslySetInnerHTML.__html` when a component asks for it.
 * CORS Lens never does (ESLint forbids the prop in src/), but the branch stays in the bundle, and
 * addons.mozilla.org's linter rightly flags it (UNSAFE_VAR_ASSIGNMENT): a panel that shows server
 * headers must have no HTML sink at all. The branch is replaced by an error, so the built panel has no
 * dynamic innerHTML assignment. The pattern must be found exactly once: a Preact release that renders
 * differently fails the build instead of shipping the sink.
 */
import type { Plugin } from 'vite';

/** `X.innerHTML=Y.__html` in Preact's minified dist (the names vary between its builds). */
const SINK = /\b([A-Za-z_$][\w$]*)\.innerHTML=([A-Za-z_$][\w$]*)\.__html\b/g;
const PREACT = /[\\/]node_modules[\\/]preact[\\/]dist[\\/]preact\.(mjs|module\.js|js)$/;

export function preactWithoutInnerHtml(): Plugin {
  return {
    name: 'cors-lens:preact-without-inner-html',
    enforce: 'pre',
    transform(code, id) {
      if (!PREACT.test(id.split('?')[0] ?? '')) return null;
      const found = code.match(SINK)?.length ?? 0;
      if (found !== 1)
        throw new Error(`${id}: expected one dangerouslySetInnerHTML assignment in Preact, found ${found}`);
      return {
        code: code.replace(
          SINK,
          () => 'function(){throw new Error("dangerouslySetInnerHTML is not supported")}()',
        ),
        map: null,
      };
    },
  };
}
