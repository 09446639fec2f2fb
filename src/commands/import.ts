import { relative } from "node:path";
import { formatSpan } from "../content/calendar.js";
import { importArticle } from "../index.js";
import type { Output } from "./output.js";

const here = (path: string) => relative(process.cwd(), path) || path;

/** `digest import <file.docx> <issue>/<month-or-spotlight>`: a Word document becomes the next article; what it could not keep is listed. */
export async function importCommand(docx: string, target: string, out: Output): Promise<void> {
  const r = await importArticle({ docx, target });
  const [start, end] = (r.date ?? "").split("/");
  const dateline = [start && formatSpan({ start, end }), r.place].filter(Boolean).join(" – ");
  const pictures = r.pictures.length ? `, ${r.pictures.length} picture${r.pictures.length === 1 ? "" : "s"} in ${here(r.pictures[0]!).replace(/[^/]*$/, "")}` : "";
  out.result(`Wrote ${here(r.file)}: “${r.title}”${dateline ? ` (${dateline})` : ""}${pictures}`);
  for (const p of r.pictures) out.detail(`  ${here(p)}`);
  if (r.notes.length) out.warn(`Could not keep everything of ${docx}:\n${r.notes.map((n) => `  - ${n.message}`).join("\n")}`);
  if (r.problems.count) out.warn(r.problems.report());
  if (r.otherErrors) out.warn(`The issue has ${r.otherErrors} other error${r.otherErrors === 1 ? "" : "s"}, not in the new article: run \`digest check ${r.issue}\``);
  out.info(`See it in its place: digest preview ${r.issue}`);
}
