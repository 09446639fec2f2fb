declare module "pagedjs-cli" {
  import { EventEmitter } from "node:events";
  /** pagedjs-cli's Printer: lays out a document with Paged.js in headless Chromium. */
  export default class Printer extends EventEmitter {
    constructor(options?: Record<string, unknown>);
    render(input: string): Promise<unknown>;
    close(): Promise<void>;
  }
}
