import type { Problems } from "./content/problems.js";

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

/** Content problems that stop a build; the CLI prints `problems.report()`. */
export class ContentError extends DigestError {
  constructor(readonly problems: Problems) {
    super(`${problems.errorCount} problem${problems.errorCount === 1 ? "" : "s"} in the issue must be fixed before it can be built`);
    this.name = "ContentError";
  }
}
