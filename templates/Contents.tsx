import { Fragment } from "react";
import type { ArticleView, IssueView, LabelsView, MastheadView } from "./types.js";

/** One line of the contents: the title, dotted leaders, and the page number filled in once the pages are laid out (`data-page-of`). */
function Entry({ anchor, title, level }: { anchor: string; title: string; level: "article" | "section" }) {
  return (
    <li className={`toc-entry toc-${level}`}>
      <a className="toc-title" href={`#${anchor}`}>
        {title}
      </a>
      <a className="toc-page" href={`#${anchor}`} data-page-of={anchor} />
    </li>
  );
}

function Articles({ articles }: { articles: ArticleView[] }) {
  return (
    <ol className="toc-articles">
      {articles.map((a) => (
        <Entry key={a.anchor} anchor={a.anchor} title={a.tocTitle} level="article" />
      ))}
    </ol>
  );
}

/** The publisher's ways to be reached that issue.yml gives, each with its label. */
export function contactRows(masthead: MastheadView, labels: LabelsView): [string, string][] {
  const rows: [string, string | undefined][] = [
    [labels.address, masthead.address],
    [labels.phone, masthead.phone],
    [labels.email, masthead.email],
    [labels.web, masthead.web],
    [labels.social, masthead.social.join(" · ") || undefined],
  ];
  return rows.filter((row): row is [string, string] => Boolean(row[1]));
}

/** The publisher's masthead, printed at the foot of the contents page. */
export function Masthead({ masthead, labels }: { masthead: MastheadView; labels: LabelsView }) {
  const contacts = contactRows(masthead, labels);
  return (
    <footer className="masthead">
      <p className="masthead-title">{labels.publishedBy}</p>
      <p className="masthead-name">{masthead.name}</p>
      <dl className="masthead-contacts">
        {contacts.map(([label, value]) => (
          <Fragment key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
    </footer>
  );
}

/** The contents page ("In this issue") with the masthead. */
export function Contents({ issue }: { issue: IssueView }) {
  const spotlight = issue.spotlight.articles.map((x) => x.article);
  return (
    <section className="contents" id="a-contents" data-fit="box" data-fit-min="0.6" data-fit-overflow="flow">
      <h1 className="contents-heading section-marker">{issue.labels.contents}</h1>
      <div className="toc">
        {issue.foreword && (
          <ol className="toc-articles">
            <Entry anchor={issue.foreword.anchor} title={issue.foreword.title} level="section" />
          </ol>
        )}
        {spotlight.length > 0 && (
          <section className="toc-group">
            <h2 className="toc-group-title">{issue.labels.spotlight}</h2>
            <Articles articles={spotlight} />
          </section>
        )}
        {issue.months.map((m) => (
          <section className="toc-group" key={m.anchor}>
            <h2 className="toc-group-title">{m.name}</h2>
            <Articles articles={m.articles.map((x) => x.article)} />
          </section>
        ))}
        {issue.flashBriefing && (
          <ol className="toc-articles toc-last">
            <Entry anchor={issue.flashBriefing.anchor} title={issue.flashBriefing.title} level="section" />
          </ol>
        )}
      </div>
      {issue.masthead && <Masthead masthead={issue.masthead} labels={issue.labels} />}
    </section>
  );
}
