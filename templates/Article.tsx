import type { ArticleView } from "./types.js";

/** A picture with its caption and credit. */
export function Figure({ src, caption, credit, className }: { src: string; caption?: string; credit?: string; className?: string }) {
  return (
    <figure className={className}>
      <img src={src} alt={caption ?? ""} />
      {(caption || credit) && (
        <figcaption>
          {caption}
          {credit && <span className="credit">{credit}</span>}
        </figcaption>
      )}
    </figure>
  );
}

/** A news article: headline across the page, dateline, then the body in two justified columns. */
export function Article({ article, kind = "news" }: { article: ArticleView; kind?: "news" | "spotlight" }) {
  return (
    <article className={`article article-${kind}`}>
      <header className="article-head">
        {/* The anchor is on the headline, not the article: Paged.js may leave an empty shell of a split article on the page before. */}
        <h2 className="article-title" id={article.anchor}>
          {article.title}
        </h2>
      </header>
      {article.picture && <Figure className="lead-picture" {...article.picture} />}
      <div className="article-body">
        {article.dateline && <p className="dateline">{article.dateline}</p>}
        {article.body}
      </div>
    </article>
  );
}
