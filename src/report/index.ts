/**
 * Reports for bug tickets: Markdown, JSON (versioned schema, docs/report-format.md), copy-as-curl and
 * secret redaction. Pure: no browser globals.
 */
export * from './describe';
export * from './redact';
export * from './curl';
export * from './json';
export * from './markdown';
