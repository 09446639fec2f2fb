import type { CSSProperties } from "react";
import type { ArticleView, PictureView } from "./types.js";

/** A picture with its caption and credit, set by its shape (see `PictureView`). */
export function Figure({ src, caption, credit, shape, ratio, className }: PictureView & { className?: string }) {
  return (
    <figure
      className={[className, shape && `picture-${shape}`].filter(Boolean).join(" ") || undefined}
      style={ratio ? ({ "--ratio": ratio.toFixed(4) } as CSSProperties) : undefined}
    >
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
    <article className={`article article-${kind}`} lang={article.language}>
      <header className="article-head">
        {/* The anchor is on the headline, not the article: Paged.js may leave an empty shell of a split article on the page before. */}
        <h2 className="article-title" id={article.anchor}>
          {article.title}
        </h2>
      </header>
      {/* A portrait lead picture stands in the first column; any other spans the text width. */}
      {article.picture && article.picture.shape !== "portrait" && <Figure className="lead-picture" {...article.picture} />}
      <div className="article-body">
        {article.picture?.shape === "portrait" && <Figure className="lead-picture" {...article.picture} />}
        {article.dateline && <p className="dateline">{article.dateline}</p>}
        {article.body}
      </div>
    </article>
  );
}
