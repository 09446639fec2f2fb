import type { Problems } from "../content/problems.js";

/** Text made safe for HTML: file names and messages quote the editor's own words, which may hold `<`. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222}
h1{font-size:1.4rem;color:#a40000}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.4rem .6rem;border-bottom:1px solid #ddd}
td.where,td.rule{font-family:ui-monospace,monospace;white-space:nowrap}
tr.error td.severity{color:#a40000;font-weight:600}
tr.warning td.severity{color:#8a5a00}
.file{font-family:ui-monospace,monospace;word-break:break-all}
pre{white-space:pre-wrap;background:#f5f5f5;padding:1rem}`;

function page(title: string, body: string, scripts: string[]): string {
  const tags = scripts.map((src) => `<script src="${escapeHtml(src)}"></script>`).join("");
  return `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${STYLE}</style>${tags}</head><body>${body}</body></html>`;
}

/** The page shown instead of the issue while it has errors: every problem, where it is, and the rule, as the terminal reports them. */
export function problemsPage(issueId: string, problems: Problems, scripts: string[]): string {
  const messages = problems.list();
  const errors = problems.errorCount;
  const title = `${errors} problem${errors === 1 ? "" : "s"} in ${issueId}`;
  const rows = messages
    .map((m) => {
      const where = m.line ? `${m.line}:${m.column ?? 1}` : "";
      const kind = m.fatal ? "error" : "warning";
      return (
        `<tr class="${kind}"><td class="file">${escapeHtml(m.file ?? "")}</td><td class="where">${escapeHtml(where)}</td>` +
        `<td class="severity">${kind}</td><td class="message">${escapeHtml(m.reason)}</td><td class="rule">${escapeHtml(m.ruleId ?? "")}</td></tr>`
      );
    })
    .join("\n");
  const body =
    `<h1>${escapeHtml(title)} must be fixed before it can be laid out</h1>` +
    `<p>Fix the files and save: this page reloads by itself.</p>` +
    `<table><thead><tr><th>file</th><th>line:column</th><th></th><th>problem</th><th>rule</th></tr></thead><tbody>\n${rows}\n</tbody></table>`;
  return page(`digest preview: ${title}`, body, scripts);
}

/** The page shown when rendering failed for a reason that is not the content's (a bug, or a file that vanished mid-read). */
export function failurePage(issueId: string, error: unknown, scripts: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const body =
    `<h1>Cannot render ${escapeHtml(issueId)}</h1><pre>${escapeHtml(message)}</pre>` +
    `<p>The terminal running <code>digest preview</code> has the details. Saving a file tries again.</p>`;
  return page(`digest preview: cannot render ${issueId}`, body, scripts);
}
