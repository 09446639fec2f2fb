import { relative } from "node:path";
import { newIssue } from "../index.js";
import type { Output } from "./output.js";

/** `digest new <issue>`: a new issue folder that builds as it is. */
export function newCommand(name: string, out: Output): void {
  const { dir, files } = newIssue(name, process.cwd());
  const where = relative(process.cwd(), dir) || dir;
  for (const file of files) out.detail(`  ${where}/${file}`);
  out.result(`Made ${where} (${files.length} files). Check it with \`digest check ${name}\`, see it with \`digest preview ${name}\`.`);
}
