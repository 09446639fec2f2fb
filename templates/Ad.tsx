import type { CSSProperties } from "react";
import type { AdView } from "./types.js";

/** A full-page advertisement: its picture to the bleed, or its text set on a coloured page. */
export function Ad({ ad }: { ad: AdView }) {
  return (
    <section
      className={`ad ad-tone-${ad.tone % 3}${ad.picture ? " ad-with-picture" : ""}`}
      aria-label={`${ad.label}: ${ad.advertiser}`}
      lang={ad.language}
      data-after={ad.after}
      data-filler={ad.filler}
      data-fit="box"
      data-fit-min="0.4"
      data-source={ad.source}
      style={ad.picture ? ({ "--picture": `url("${ad.picture.src}")` } as CSSProperties) : undefined}
    >
      <div className="ad-copy">{ad.body}</div>
      <p className="ad-label">{ad.label}</p>
    </section>
  );
}

/** The back cover: an ad if one is placed there, otherwise the name. */
export function BackCover({ ad, title, period }: { ad?: AdView; title: string; period: string }) {
  if (ad) {
    return (
      <div className="back-cover">
        <Ad ad={ad} />
      </div>
    );
  }
  return (
    <section className="back-cover back-cover-plain">
      <p className="back-cover-title" data-fit="lines" data-fit-lines="3" data-fit-min="0.4">
        {title}
      </p>
      <p className="back-cover-period">{period}</p>
    </section>
  );
}
