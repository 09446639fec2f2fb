import { describe, expect, it } from "vitest";
import { renderToStaticMarkup } from "react-dom/server";
import { Cover } from "../templates/Cover.js";
import { Contents } from "../templates/Contents.js";
import { Foreword } from "../templates/Foreword.js";
import { Article } from "../templates/Article.js";
import { MonthSection } from "../templates/MonthSection.js";
import { FlashBriefing } from "../templates/FlashBriefing.js";
import { Ad, BackCover } from "../templates/Ad.js";
import { Spotlight } from "../templates/Spotlight.js";
import type { ArticleView, IssueView } from "../templates/types.js";

const article: ArticleView = {
  anchor: "a-2024-07-sco",
  title: "SCO Countries Support CICA Transformation",
  tocTitle: "SCO countries support CICA transformation",
  dateline: "4 July 2024 – Astana, Kazakhstan",
  body: <p>The synergy of SCO and CICA.</p>,
};

const labels: IssueView["labels"] = {
  contents: "In this issue",
  spotlight: "In the Spotlight",
  publishedBy: "CICA Digest is published by",
  moreInContents: "… and {n} more: see the contents",
  about: "About us",
  notes: "Notes",
  address: "Address",
  phone: "Phone",
  email: "E-mail",
  web: "Web",
  social: "Social",
};

const issue: IssueView = {
  title: "CICA Digest",
  labels,
  fillers: [],
  notesPages: 0,
  tagline: "Voice of Asia",
  period: "July–September 2024",
  language: "en",
  cover: { headlines: ["One", "Two", "Three"], feature: { title: "Ministerial Conference", date: "28 August 2024" } },
  masthead: { name: "The Secretariat", address: "Astana", email: "s@example.org", social: ["@a", "@b"] },
  foreword: { anchor: "a-foreword", title: "Foreword", author: "Yerlan Nyssanbayev", role: "Minister", body: <p>Dear friends,</p> },
  spotlight: { anchor: "a-spotlight", title: "In the Spotlight", articles: [{ article: { ...article, anchor: "a-spot", tocTitle: "Spot" }, adsAfter: [] }] },
  months: [{ anchor: "a-month-2024-07", kicker: "News", name: "July", year: "2024", articles: [{ article, adsAfter: [] }] }],
  flashBriefing: { anchor: "a-flash", title: "Flash Briefing", items: [{ boxed: false, body: <p>Item</p> }, { boxed: true, body: <h2>Notice</h2> }] },
};

const html = (node: React.ReactElement) => renderToStaticMarkup(node);

describe("templates", () => {
  it("Cover prints the title, tagline, period, feature and every headline", () => {
    const out = html(<Cover issue={issue} />);
    // Display type carries its fitting instructions: two lines at most, scaled no smaller than 30 %.
    expect(out).toContain('<h1 class="cover-title" data-fit="lines" data-fit-lines="2" data-fit-min="0.3">CICA Digest</h1>');
    expect(out).toMatch(/<section class="cover" data-fit="box"/);
    expect(out).toContain('<p class="cover-tagline">Voice of Asia</p>');
    expect(out).toContain('<p class="cover-period">July–September 2024</p>');
    expect(out).toContain('<p class="cover-feature-title">Ministerial Conference</p>');
    expect(out.match(/<li>/g)).toHaveLength(3);
  });

  it("Contents links each entry to its article for target-counter page numbers, with the masthead", () => {
    const out = html(<Contents issue={issue} />);
    expect(out).toContain('<a class="toc-title" href="#a-2024-07-sco">SCO countries support CICA transformation</a><a class="toc-page" href="#a-2024-07-sco" data-page-of="a-2024-07-sco"></a>');
    expect(out).toContain('<a class="toc-title" href="#a-foreword">Foreword</a>');
    expect(out).toContain('<a class="toc-title" href="#a-flash">Flash Briefing</a>');
    expect(out).toContain('<h2 class="toc-group-title">In the Spotlight</h2>');
    expect(out).toContain('<p class="masthead-name">The Secretariat</p>');
    expect(out).toContain("<dd>@a · @b</dd>");
  });

  it("Foreword signs with the author and role", () => {
    const out = html(<Foreword foreword={issue.foreword!} />);
    expect(out).toBe(
      '<section class="foreword" id="a-foreword" data-section="Foreword"><h1 class="foreword-title section-marker">Foreword</h1><div class="foreword-body"><p>Dear friends,</p><p class="signature"><span class="signature-name">Yerlan Nyssanbayev</span><span class="signature-role">Minister</span></p></div></section>',
    );
  });

  it("Article puts the dateline before the first paragraph, inside the columns", () => {
    expect(html(<Article article={article} />)).toBe(
      '<article class="article article-news"><header class="article-head"><h2 class="article-title" id="a-2024-07-sco">SCO Countries Support CICA Transformation</h2></header><div class="article-body"><p class="dateline">4 July 2024 – Astana, Kazakhstan</p><p>The synergy of SCO and CICA.</p></div></article>',
    );
  });

  it("Article shows its lead picture as a figure with caption and credit", () => {
    const out = html(<Article article={{ ...article, dateline: undefined, picture: { src: "file:///x.png", caption: "The quay", credit: "Photo: A" } }} />);
    expect(out).toContain('<figure class="lead-picture"><img src="file:///x.png" alt="The quay"/><figcaption>The quay<span class="credit">Photo: A</span></figcaption></figure>');
    expect(out).not.toContain("dateline");
  });

  it("MonthSection opens with the month's name and its articles, then the articles", () => {
    const out = html(<MonthSection month={issue.months[0]!} />);
    expect(out).toContain('<h1 class="month-name section-marker" data-fit="lines" data-fit-lines="1" data-fit-min="0.4">July</h1>');
    expect(out).toContain('<a class="month-list-page" href="#a-2024-07-sco" data-page-of="a-2024-07-sco"></a>');
    expect(out).toContain('id="a-2024-07-sco"');
  });

  it("Spotlight marks the section and holds its articles", () => {
    const out = html(<Spotlight spotlight={issue.spotlight} />);
    expect(out).toContain('<p class="spotlight-kicker section-marker">In the Spotlight</p>');
    expect(out).toContain('<article class="article article-spotlight"><header class="article-head"><h2 class="article-title" id="a-spot">');
  });

  it("FlashBriefing boxes the notices", () => {
    const out = html(<FlashBriefing briefing={issue.flashBriefing!} />);
    expect(out).toContain('<div class="flash-item"><p>Item</p></div><div class="flash-item flash-notice"><h2>Notice</h2></div>');
  });

  it("Ad is a full page, with its picture when it has one", () => {
    expect(html(<Ad ad={{ advertiser: "AIFC", label: "Advertisement", tone: 0, body: <h1>AIFC</h1> }} />)).toBe(
      '<section class="ad ad-tone-0" aria-label="Advertisement: AIFC" data-fit="box" data-fit-min="0.4"><div class="ad-copy"><h1>AIFC</h1></div><p class="ad-label">Advertisement</p></section>',
    );
    expect(html(<Ad ad={{ advertiser: "X", label: "Advertisement", tone: 4, picture: { src: "file:///ad.jpg" }, body: null }} />)).toContain('class="ad ad-tone-1 ad-with-picture"');
  });

  it("prints the fixed words the view gives, in the issue's language", () => {
    const ru: IssueView["labels"] = { contents: "В этом номере", spotlight: "В центре внимания", publishedBy: "Издатель CICA Digest", moreInContents: "… и ещё {n}: см. содержание", about: "О нас", notes: "Для заметок", address: "Адрес", phone: "Телефон", email: "Эл. почта", web: "Сайт", social: "Соцсети" };
    const russian: IssueView = { ...issue, labels: ru, spotlight: { ...issue.spotlight, title: ru.spotlight }, months: [{ ...issue.months[0]!, kicker: "Новости", name: "Июль" }] };
    const contents = html(<Contents issue={russian} />);
    expect(contents).toContain('<h1 class="contents-heading section-marker">В этом номере</h1>');
    expect(contents).toContain('<h2 class="toc-group-title">В центре внимания</h2>');
    expect(contents).toContain('<p class="masthead-title">Издатель CICA Digest</p>');
    expect(contents).toContain("<dt>Адрес</dt>");
    expect(contents).not.toMatch(/In this issue|Spotlight|published by|Address/);
    expect(html(<Cover issue={russian} />)).toContain('<p class="cover-feature-kicker">В центре внимания</p>');
    expect(html(<Spotlight spotlight={russian.spotlight} />)).toContain('<p class="spotlight-kicker section-marker">В центре внимания</p>');
    expect(html(<MonthSection month={russian.months[0]!} />)).toContain('<p class="month-kicker">Новости</p>');
    const ad = html(<Ad ad={{ advertiser: "МФЦА", label: "Реклама", tone: 0, body: null }} />);
    expect(ad).toContain('aria-label="Реклама: МФЦА"');
    expect(ad).toContain('<p class="ad-label">Реклама</p>');
    expect(html(<Article article={{ ...article, language: "en" }} />)).toContain('<article class="article article-news" lang="en">');
  });

  it("BackCover prints the ad placed there, or the issue's name", () => {
    expect(html(<BackCover title="CICA Digest" period="Q3" />)).toContain('<p class="back-cover-title" data-fit="lines" data-fit-lines="3" data-fit-min="0.4">CICA Digest</p>');
    expect(html(<BackCover ad={{ advertiser: "T", label: "Advertisement", tone: 1, body: <p>Visit</p> }} title="x" period="y" />)).toContain('<div class="back-cover"><section class="ad ad-tone-1"');
  });
});
