import type { Exchange, Verdict } from './types';

/**
 * One row of a log (a tab's, a HAR's, an opened report's): the exchange as observed and its verdict.
 * A domain type, so it lives with the engine; the port protocol, the reports, the HAR reader, the
 * command line and the panel all speak it.
 */
export interface LogEntry {
  exchange: Exchange;
  verdict: Verdict;
}
