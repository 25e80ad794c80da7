/**
 * The part of the `sax` parser (the tokenizer under xml2js, installed with it) that the SOAP
 * decoder uses directly; sax ships no types of its own.
 */
declare module 'sax' {
  export interface Tag {
    readonly name: string;
    /** Without the xmlns option: attribute name (prefix included) → value. */
    readonly attributes: Readonly<Record<string, string>>;
    readonly isSelfClosing: boolean;
  }
  export interface SAXOptions {
    trim?: boolean;
    normalize?: boolean;
    xmlns?: boolean;
    position?: boolean;
  }
  export interface SAXParser {
    onopentag: (tag: Tag) => void;
    onclosetag: (name: string) => void;
    ontext: (text: string) => void;
    oncdata: (text: string) => void;
    onerror: (e: Error) => void;
    write(s: string): SAXParser;
    close(): SAXParser;
  }
  export function parser(strict: boolean, opt?: SAXOptions): SAXParser;
}
