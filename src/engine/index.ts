/**
 * CORS Lens verdict engine: observed exchange in, Chrome's verdict out. Pure: no browser globals.
 */
export type * from './types';
export { evaluate } from './evaluate';
