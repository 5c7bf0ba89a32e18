/** The package version, set by the bundler (`define`); `dev` when run from source. */
declare const __CORS_LENS_VERSION__: string | undefined;

export const VERSION: string = typeof __CORS_LENS_VERSION__ === 'string' ? __CORS_LENS_VERSION__ : 'dev';
