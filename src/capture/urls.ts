/**
 * What a request's URLs say to capture: calls made by extensions (not logged), and the redirect
 * targets after which webRequest goes silent.
 */
import { isHttpScheme } from '../engine';

/** The initiator is an extension (ours or another): its calls are not the page's. */
export function isExtensionOrigin(initiator: string): boolean {
  return (
    initiator.startsWith('chrome-extension:') ||
    initiator.startsWith('moz-extension:') ||
    initiator.startsWith('safari-web-extension:')
  );
}

/**
 * After a redirect to a URL whose scheme webRequest does not cover, webRequest reports nothing more
 * about the request (no new leg, no error), while Chrome fails it: its CORS check refuses the scheme
 * (CDP: CorsDisabledScheme, net::ERR_FAILED), and a ws:/wss: target fails with
 * net::ERR_UNKNOWN_URL_SCHEME (measured in Chromium 156; data:, file:, blob:, about: and extension
 * URLs are refused before the redirect with their own onErrorOccurred). The error that ends it, or
 * undefined for an http(s) target.
 */
export function endAfterRedirectTo(url: string): string | undefined {
  if (isHttpScheme(url)) return undefined;
  return /^wss?:/i.test(url) ? 'net::ERR_UNKNOWN_URL_SCHEME' : 'net::ERR_FAILED';
}
