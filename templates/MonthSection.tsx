import { Article } from "./Article.js";
import { Ad } from "./Ad.js";
import type { MonthView } from "./types.js";

/** A month's news: a full-page opener, then its articles, with any ads placed after them. */
export function MonthSection({ month }: { month: MonthView }) {
  return (
    <section className="month">
      <div className="month-opener" id={month.anchor} data-fit="box" data-fit-min="0.6" data-fit-overflow="shorten" data-source={month.source}>
        <p className="month-kicker">{month.kicker}</p>
        <h1 className="month-name section-marker" data-fit="lines" data-fit-lines="1" data-fit-min="0.4" data-source={month.source}>
          {month.name}
        </h1>
        <p className="month-year">{month.year}</p>
        <ol className="month-list" data-fit-shorten-more={month.more}>
          {month.articles.map(({ article }) => (
            <li key={article.anchor}>
              <a className="month-list-page" href={`#${article.anchor}`} data-page-of={article.anchor} />
              <a className="month-list-title" href={`#${article.anchor}`}>
                {article.tocTitle}
              </a>
            </li>
          ))}
        </ol>
      </div>
      <div className="month-articles" data-section={month.name}>
        {month.articles.map(({ article, adsAfter }) => (
          <div className="article-slot" key={article.anchor}>
            <Article article={article} />
            {adsAfter.map((ad) => (
              <Ad key={ad.advertiser} ad={ad} />
            ))}
          </div>
        ))}
      </div>
    </section>
  );
}
