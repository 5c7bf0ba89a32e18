// whatwg-mimetype 5 exports a named class with a static non-throwing parser; @types/whatwg-mimetype
// (pulled in transitively) still describes version 3.
declare module 'whatwg-mimetype' {
  export class MIMEType {
    /** https://mimesniff.spec.whatwg.org/#parse-a-mime-type — `null` on failure. */
    static parse(input: string): MIMEType | null;
    readonly type: string;
    readonly subtype: string;
    readonly essence: string;
    readonly parameters: Map<string, string>;
    /** https://mimesniff.spec.whatwg.org/#javascript-mime-type */
    isJavaScript(options?: { prohibitParameters?: boolean }): boolean;
    /** https://mimesniff.spec.whatwg.org/#xml-mime-type */
    isXML(): boolean;
    /** https://mimesniff.spec.whatwg.org/#html-mime-type */
    isHTML(): boolean;
    toString(): string;
  }
}
