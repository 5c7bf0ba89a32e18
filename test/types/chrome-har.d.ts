// chrome-har (sitespeed.io) ships no types: the one function the tests call.
declare module 'chrome-har' {
  import type { Har } from 'har-format';
  export function harFromMessages(
    messages: { method: string; params: unknown }[],
    options?: { includeTextFromResponseBody?: boolean; includeResourcesFromDiskCache?: boolean },
  ): Har;
}
