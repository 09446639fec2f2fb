import { Article } from "./Article.js";
import { Ad } from "./Ad.js";
import type { IssueView } from "./types.js";

/** "In the Spotlight": the issue's feature articles. */
export function Spotlight({ spotlight }: { spotlight: IssueView["spotlight"] }) {
  return (
    <section className="spotlight" id={spotlight.anchor} data-section={spotlight.title}>
      <p className="spotlight-kicker section-marker">{spotlight.title}</p>
      {spotlight.articles.map(({ article, adsAfter }) => (
        <div key={article.anchor}>
          <Article article={article} kind="spotlight" />
          {adsAfter.map((ad) => (
            <Ad key={ad.advertiser} ad={ad} />
          ))}
        </div>
      ))}
    </section>
  );
}
