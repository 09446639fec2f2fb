import { Cover } from "./Cover.js";
import { Contents } from "./Contents.js";
import { Foreword } from "./Foreword.js";
import { Spotlight } from "./Spotlight.js";
import { MonthSection } from "./MonthSection.js";
import { FlashBriefing } from "./FlashBriefing.js";
import { Ad, BackCover } from "./Ad.js";
import { HousePage, NotesPage } from "./HousePage.js";
import type { ReactElement } from "react";
import type { IssueView } from "./types.js";

/**
 * The issue's units of layout in print order: cover, inside front cover, contents,
 * foreword, spotlight, months, flash briefing, fillers and the house page (as the
 * binding needs them), inside back cover, back cover. Each starts on a page of
 * its own, so each can be laid out, and cached, on its own (src/layout/units.ts).
 */
export function issueUnits(issue: IssueView): ReactElement[] {
  return [
    <Cover key="cover" issue={issue} />,
    issue.insideFrontCover && <Ad key="ifc" ad={issue.insideFrontCover} />,
    <Contents key="contents" issue={issue} />,
    issue.foreword && <Foreword key="foreword" foreword={issue.foreword} />,
    issue.spotlight.articles.length > 0 && <Spotlight key="spotlight" spotlight={issue.spotlight} />,
    ...issue.months.map((m) => <MonthSection key={m.anchor} month={m} />),
    issue.flashBriefing && <FlashBriefing key="flash" briefing={issue.flashBriefing} />,
    ...issue.fillers.map((ad) => <Ad key={ad.filler} ad={ad} />),
    issue.housePage && <HousePage key="house" page={issue.housePage} />,
    ...Array.from({ length: issue.notesPages }, (_, i) => <NotesPage key={`notes-${i}`} title={issue.labels.notes} />),
    issue.insideBackCover && <Ad key="ibc" ad={issue.insideBackCover} />,
    <BackCover key="back" ad={issue.backCover} title={issue.title} period={issue.period} />,
  ].filter((unit): unit is ReactElement => Boolean(unit));
}

/** The whole issue: the head (fonts, stylesheets, scripts) and, as its body, the units' markup (issueUnits, each rendered on its own). */
export function IssueDocument({
  issue,
  stylesheets,
  fontFaces,
  scripts = [],
  units,
}: {
  issue: IssueView;
  stylesheets: string[];
  fontFaces: string;
  /** Only the preview has scripts (Paged.js and live reload); the print document has none. */
  scripts?: string[];
  /** The markup of each unit of issueUnits(issue), in order. */
  units: string[];
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
      <body dangerouslySetInnerHTML={{ __html: units.join("") }} />
    </html>
  );
}
