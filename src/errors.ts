/** An expected failure with a message for the user and a hint on how to fix it: printed without a stack trace. */
export class DigestError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "DigestError";
  }
}
