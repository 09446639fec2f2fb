import type { CSSProperties } from "react";
import type { IssueView } from "./types.js";

/** The front cover: masthead title, tagline, period, the feature and the teasers. */
export function Cover({ issue }: { issue: IssueView }) {
  const { cover } = issue;
  const half = Math.ceil(cover.headlines.length / 2);
  return (
    <section className="cover" data-fit="box" data-fit-min="0.6" data-source={issue.titleSource} style={cover.picture ? ({ "--picture": `url("${cover.picture.src}")` } as CSSProperties) : undefined}>
      <span className="running-issue">{`${issue.title} · ${issue.period}`}</span>
      <header className="cover-masthead">
        {issue.tagline && <p className="cover-tagline">{issue.tagline}</p>}
        <h1 className="cover-title" data-fit="lines" data-fit-lines="2" data-fit-min="0.3" data-source={issue.titleSource}>
          {issue.title}
        </h1>
        <p className="cover-period">{issue.period}</p>
      </header>
      {/* The ornament stands in the space between masthead and teasers, whatever its height at this page size. */}
      <div className="cover-space" aria-hidden="true">
        {!cover.picture && (
          <div className="cover-ornament">
            {[1, 2, 3, 4, 5, 6, 7].map((ring) => (
              <span key={ring} className={`cover-ring cover-ring-${ring}`} />
            ))}
          </div>
        )}
      </div>
      <div className="cover-teasers">
        <ul className="cover-headlines">
          {cover.headlines.slice(0, half).map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
        {cover.feature && (
          <div className="cover-feature">
            <p className="cover-feature-kicker">{issue.labels.spotlight}</p>
            <p className="cover-feature-title">{cover.feature.title}</p>
            {cover.feature.date && <p className="cover-feature-date">{cover.feature.date}</p>}
          </div>
        )}
        <ul className="cover-headlines">
          {cover.headlines.slice(half).map((h) => (
            <li key={h}>{h}</li>
          ))}
        </ul>
      </div>
    </section>
  );
}
