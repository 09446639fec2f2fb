import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DigestError } from "../errors.js";
import { monthName, quarterMonths, quarterPeriod } from "./calendar.js";

/** The files of a new issue, by path inside the issue folder: a complete issue that builds as it is. */
export function scaffoldFiles(id: string, title = "CICA Digest"): Record<string, string> {
  const months = quarterMonths(id);
  if (!months) {
    throw new DigestError(`Cannot make an issue named \`${id}\``, "Name a quarterly issue YYYY-qN, e.g. `2025-q1`.");
  }
  const period = quarterPeriod(id)!;
  const files: Record<string, string> = {
    "issue.yml": `title: ${title}
tagline: Voice of Asia
period: ${period}
language: en
publisher:
  name: Secretariat of the Conference on Interaction and Confidence Building Measures in Asia
  address: 55/20 Mangilik Yel ave., Astana, Republic of Kazakhstan
  phone: "+7 7172 576510"
  email: s-cica@s-cica.org
  web: www.s-cica.org
  social: ["@cica_secretariat"]
cover:
  headlines:
    - The headline of the issue's main story
    - A second story worth a place on the cover
page:
  size: A4
  bleed: 3mm
  binding: saddle-stitch
`,
    "foreword.md": `---
title: Foreword
author: Name Surname
role: Their position
---

*Distinguished colleagues and friends,*

The foreword opens the issue. Write it as a letter; the signature is printed
from \`author\` and \`role\` above.

*Sincerely,*
`,
    "spotlight/01-main-story.md": `---
title: The Issue's Main Story
toc: The issue's main story
---

The spotlight article is the feature of the issue. Its first paragraph is set
larger, as a lead.

Further paragraphs follow. To add a picture, save it in \`images/\` and write
\`![Caption](../images/file.jpg "Photo: credit")\` on a line of its own.
`,
    "flash-briefing.md": `---
title: Flash Briefing
---

A short item: one or two sentences about a meeting or an event.

***

Another short item. Items are separated by a line with three asterisks.

***

## A Notice

An item that starts with a heading is printed in a box: calls for
submissions, announcements.
`,
    "ads/back-cover.md": `---
advertiser: The advertiser's name
placement: back-cover
---

# The advertisement's headline

Its text, address and web site.
`,
    "images/.gitkeep": "",
  };
  months.forEach((month, i) => {
    files[`months/${month}/01-example-article.md`] = `---
title: An Example Article of ${monthName(month)}
date: ${month}-${String(10 + i).padStart(2, "0")}
place: Astana, Kazakhstan
---

News articles are printed in two justified, hyphenated columns, and the
dateline above this paragraph is made from \`date\` and \`place\` in the front
matter: do not repeat it in the text.

Replace this file with the month's articles, numbered in the order they are
to be printed: \`01-…md\`, \`02-…md\` and so on. A file or folder whose name
starts with \`_\` is a draft and is left out.
`;
  });
  return files;
}

/** Writes a new issue folder, refusing to touch one that exists. Returns the files written. */
export function scaffoldIssue(dir: string, id: string): string[] {
  if (existsSync(dir)) {
    throw new DigestError(`Cannot make \`${dir}\`: it exists already`, "Choose another name, or delete the folder first if you really mean to start over.");
  }
  const files = scaffoldFiles(id);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text, { flag: "wx" });
  }
  return Object.keys(files);
}
