import { Cover } from "./Cover.js";
import { Contents } from "./Contents.js";
import { Foreword } from "./Foreword.js";
import { Spotlight } from "./Spotlight.js";
import { MonthSection } from "./MonthSection.js";
import { FlashBriefing } from "./FlashBriefing.js";
import { Ad, BackCover } from "./Ad.js";
import { HousePage, NotesPage } from "./HousePage.js";
import type { IssueView } from "./types.js";

/** The whole issue in print order: cover, inside front cover, contents, foreword, spotlight, months, flash briefing, fillers and the house page (as the binding needs them), inside back cover, back cover. */
export function IssueDocument({
  issue,
  stylesheets,
  fontFaces,
  scripts = [],
}: {
  issue: IssueView;
  stylesheets: string[];
  fontFaces: string;
  /** Only the preview has scripts (Paged.js and live reload); the print document has none. */
  scripts?: string[];
}) {
  return (
    <html lang={issue.language}>
      <head>
        <meta charSet="utf-8" />
        <title>{`${issue.title} · ${issue.period}`}</title>
        <style>{fontFaces}</style>
        {stylesheets.map((href) => (
          <link key={href} rel="stylesheet" href={href} />
        ))}
        {scripts.map((src) => (
          <script key={src} src={src} />
        ))}
      </head>
      <body>
        <Cover issue={issue} />
        {issue.insideFrontCover && <Ad ad={issue.insideFrontCover} />}
        <Contents issue={issue} />
        {issue.foreword && <Foreword foreword={issue.foreword} />}
        {issue.spotlight.articles.length > 0 && <Spotlight spotlight={issue.spotlight} />}
        {issue.months.map((m) => (
          <MonthSection key={m.anchor} month={m} />
        ))}
        {issue.flashBriefing && <FlashBriefing briefing={issue.flashBriefing} />}
        {issue.fillers.map((ad) => (
          <Ad key={ad.filler} ad={ad} />
        ))}
        {issue.housePage && <HousePage page={issue.housePage} />}
        {Array.from({ length: issue.notesPages }, (_, i) => (
          <NotesPage key={i} title={issue.labels.notes} />
        ))}
        {issue.insideBackCover && <Ad ad={issue.insideBackCover} />}
        <BackCover ad={issue.backCover} title={issue.title} period={issue.period} />
      </body>
    </html>
  );
}
