// The values the command line takes, checked as they are read: a wrong one is said in
// the user's words ("Expected …") before any work starts.
import { InvalidArgumentError, Option } from "commander";

/** `--timeout`: a number of seconds. */
export const seconds = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError("Expected a number of seconds, e.g. 120.");
  return n;
};
/** `--jobs`: how many sections to lay out at once, 1 to 64. */
export const jobs = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError("Expected a whole number of jobs from 1 to 64, e.g. 2.");
  return n;
};
/** `--min-share`: a number of characters of markup, 1 or more. */
export const characters = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("Expected a whole number of characters, e.g. 150000.");
  return n;
};
/** `--port`: a TCP port. */
export const port = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError("Expected a port number, e.g. 4173.");
  return n;
};
/** `--dpi`: a resolution between 10 and 600. */
export const dpi = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 10 || n > 600) throw new InvalidArgumentError("Expected a resolution in dpi between 10 and 600, e.g. 72.");
  return n;
};
/** `--threshold`: a number from 0 to 1. */
export const fraction = (value: string) => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("Expected a number from 0 to 1, e.g. 0.05.");
  return n;
};
/** `--pages`: `5-12`, `7`, or `9-` (to the end). */
export const pageRange = (value: string) => {
  const m = /^(\d+)(?:\s*[-–]\s*(\d*))?$/.exec(value.trim());
  if (!m || Number(m[1]) < 1 || (m[2] && Number(m[2]) < Number(m[1]))) throw new InvalidArgumentError("Expected pages like 5-12, 7, or 9- (to the end).");
  return { first: Number(m[1]), last: m[2] === undefined ? Number(m[1]) : m[2] ? Number(m[2]) : Number.MAX_SAFE_INTEGER };
};
/** `--format`: text for people, GitHub workflow annotations, or JSON. */
export const formatOption = () =>
  new Option("--format <format>", "how to report: text, github (workflow annotations; the default when GITHUB_ACTIONS is set) or json").choices(["text", "github", "json"]);
/** `--bleed`: millimetres, `3` or `3mm`. */
export const millimetres = (value: string) => {
  if (!/^\d+(\.\d+)?(mm)?$/.test(value)) throw new InvalidArgumentError("Expected a length in millimetres, e.g. 3 or 3mm.");
  return Number.parseFloat(value);
};
/** `--tac`: a total area coverage in percent, up to 400. */
export const percent = (value: string) => {
  if (!/^\d+(\.\d+)?%?$/.test(value) || Number.parseFloat(value) <= 0 || Number.parseFloat(value) > 400) {
    throw new InvalidArgumentError("Expected a total area coverage in percent, up to 400, e.g. 300 (coated) or 260 (uncoated).");
  }
  return Number.parseFloat(value);
};
