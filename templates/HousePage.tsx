import { contactRows } from "./Contents.js";
import type { HousePageView } from "./types.js";

/**
 * The publisher's house page: the publication's name, tagline and period, and
 * who publishes it, with every way to reach them, set as a full page. It is
 * printed only when the binding needs a page that no filler ad took.
 */
export function HousePage({ page }: { page: HousePageView }) {
  const { masthead, labels } = page;
  const contacts = masthead ? contactRows(masthead, labels) : [];
  return (
    <section className="house-page" data-filler="house" data-fit="box" data-fit-min="0.5" data-source={page.titleSource}>
      <p className="house-kicker">{page.title}</p>
      <h1 className="house-title" data-fit="lines" data-fit-lines="2" data-fit-min="0.3" data-source={page.titleSource}>
        {page.issueTitle}
      </h1>
      {page.tagline && <p className="house-tagline">{page.tagline}</p>}
      <p className="house-period">{page.period}</p>
      {masthead ? (
        <div className="house-publisher">
          <p className="house-published-by">{labels.publishedBy}</p>
          <p className="house-name">{masthead.name}</p>
          <dl className="house-contacts">
            {contacts.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : (
        <div className="house-publisher">
          <p className="house-published-by">{labels.contents}</p>
          <ul className="house-headlines">
            {page.headlines.map((h) => (
              <li key={h}>{h}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** A ruled page for the reader's notes: the last of the pages the binding may take, after the fillers and the house page. */
export function NotesPage({ title }: { title: string }) {
  return (
    <section className="notes-page" data-filler="notes">
      <h1 className="notes-title">{title}</h1>
      <div className="notes-lines" aria-hidden="true">
        {Array.from({ length: 40 }, (_, i) => (
          <span key={i} className="notes-line" />
        ))}
      </div>
    </section>
  );
}
