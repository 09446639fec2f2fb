// English that reads like a news magazine's, from a fixed word list: the
// fuzzer needs text with the lengths and rhythms of real copy, not lorem ipsum
// (whose Latin would be hyphenated by the wrong patterns).
import type { Random } from "./random.js";

const NOUNS = `agreement assembly budget capital centre chair charter citizen coalition commission committee community conference
cooperation corridor council counterpart country declaration delegation development dialogue director discussion district economy
election embassy energy envoy event exchange exhibition expert festival finance forum framework government harbour headquarters
heritage initiative institute investment island journalist leader meeting memorandum minister ministry mission network office
official organisation parliament partner partnership plan platform policy port president priority programme project proposal
province region report representative research resolution round secretariat security seminar session statement strategy summit
support survey system territory trade transport treaty tourism university visit volunteer water workshop youth agenda archive
bridge campaign ceremony climate culture data decade engineer farmer fleet garden industry library market museum railway river
school season shipyard station student teacher village voyage`.split(/\s+/);

const VERBS = `adopted agreed announced approved attended briefed called completed confirmed considered continued debated delivered
discussed endorsed established examined expanded explored extended finalised focused hosted highlighted improved introduced
launched met noted opened outlined presented proposed received reviewed signed stressed strengthened supported underlined
visited welcomed`.split(/\s+/);

const ADJECTIVES = `annual bilateral broad central coastal common comprehensive constructive cultural current digital diplomatic
economic environmental extensive federal financial first formal future general global green historic inclusive international
joint key lasting local long major maritime multilateral national new northern open practical productive public regional
rural second shared social southern special strategic sustainable technical third urban useful various wide young`.split(/\s+/);

const ADVERBS = `actively carefully closely consistently currently formally fully jointly further publicly recently regularly
successfully warmly`.split(/\s+/);

const SMALL = `the the the the a an of of of in in on to to for with from by at and and and its their this these that`.split(/\s+/);

const PLACES = `Astana Almaty Baku Bangkok Colombo Dhaka Doha Hanoi Islamabad Kraków Seoul Tashkent Tbilisi Ulaanbaatar Yerevan Zürich
Bogotá Türkiye Reykjavík Montréal Gdańsk Plzeň`.split(/\s+/);

const NAMES = `Aigerim Bakhyt Chen Daniyar Elena François Gulnara Hamid Ingrid José Kairat Lena Marta Nurlan Olga Pedro Ravi Sofia
Tomás Yusuf Zhang Søren Björn Ayşe`.split(/\s+/);

const SURNAMES = `Abenov Bekova Carvalho Dąbrowski Eriksen Fischer García Haddad Ivanova Jensen Kuanyshev Larsen Müller Nováková
Okonkwo Petrović Rahman Sarybay Tanaka Umarov Wiśniewski Yilmaz`.split(/\s+/);

/** Short words for table cells: no long word may make a narrow table overflow its column. */
const CELL_WORDS = `port trade rail road sea air grain oil gas fish steel wool tea rice salt coal ships crews cargo total north south east
west spring summer autumn winter draft final open closed new old`.split(/\s+/);

const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);

/** The word list's size, for the record (a few hundred words). */
export const WORD_COUNT = new Set([...NOUNS, ...VERBS, ...ADJECTIVES, ...ADVERBS, ...SMALL, ...PLACES, ...NAMES, ...SURNAMES, ...CELL_WORDS]).size;

/** Makes sentences, titles, names and places from the word list. */
export class Words {
  constructor(private readonly random: Random) {}

  noun(): string {
    return this.random.pick(NOUNS);
  }

  place(): string {
    return this.random.pick(PLACES);
  }

  person(): string {
    return `${this.random.pick(NAMES)} ${this.random.pick(SURNAMES)}`;
  }

  /** A noun phrase: "the regional transport corridor". */
  private phrase(): string {
    const r = this.random;
    const parts = [r.pick(["the", "the", "a", "its", "their", "this"])];
    if (r.chance(0.6)) parts.push(r.pick(ADJECTIVES));
    if (r.chance(0.3)) parts.push(r.pick(NOUNS));
    parts.push(r.pick(NOUNS));
    if (r.chance(0.25)) parts.push("of", r.pick(PLACES));
    return parts.join(" ");
  }

  /** A sentence of roughly `length` words (4–40), capitalised and closed with a full stop. */
  sentence(length = this.sentenceLength()): string {
    const r = this.random;
    const out: string[] = [];
    const subject = r.chance(0.3) ? this.person() : r.chance(0.2) ? `the ${r.pick(ADJECTIVES)} ${r.pick(NOUNS)} in ${r.pick(PLACES)}` : this.phrase();
    out.push(...subject.split(" "));
    if (r.chance(0.2)) out.push(r.pick(ADVERBS));
    out.push(r.pick(VERBS));
    out.push(...this.phrase().split(" "));
    while (out.length < length) {
      const joint = r.weighted({ with: 2, and: 3, for: 2, comma: 2, in: 2, which: 1, on: 1 });
      if (joint === "comma") {
        out[out.length - 1] += ",";
        out.push(r.pick(["while", "as", "and", "after", "so that"]));
        out.push(...this.phrase().split(" "), r.pick(VERBS), ...this.phrase().split(" "));
      } else if (joint === "which") {
        out[out.length - 1] += ",";
        out.push("which", r.pick(VERBS), ...this.phrase().split(" "));
      } else {
        out.push(joint, ...this.phrase().split(" "));
      }
    }
    return `${cap(out.join(" "))}.`;
  }

  private sentenceLength(): number {
    const r = this.random;
    const kind = r.weighted({ short: 2, medium: 5, long: 2 });
    return kind === "short" ? r.int(4, 8) : kind === "medium" ? r.int(9, 18) : r.int(19, 34);
  }

  /** A paragraph of `sentences` sentences. */
  paragraph(sentences = this.random.int(2, 6)): string {
    return Array.from({ length: sentences }, () => this.sentence()).join(" ");
  }

  /** A headline in sentence case, of about `minChars`–`maxChars` characters. */
  title(minChars: number, maxChars: number): string {
    const r = this.random;
    const words = [cap(r.pick(ADJECTIVES)), r.pick(NOUNS)];
    const add = () => {
      const kind = r.weighted({ noun: 3, verb: 1, of: 1, in: 1, and: 1, adjective: 2 });
      if (kind === "noun") return [r.pick(NOUNS)];
      if (kind === "verb") return [r.pick(VERBS)];
      if (kind === "adjective") return [r.pick(ADJECTIVES), r.pick(NOUNS)];
      if (kind === "of") return ["of", r.pick(PLACES)];
      return [kind, r.pick(NOUNS)];
    };
    const target = r.int(minChars, maxChars);
    for (;;) {
      const next = add();
      const length = [...words, ...next].join(" ").length;
      if (length > maxChars) break;
      words.push(...next);
      if (length >= target) break;
    }
    // Too short still (a long word list could not be added): pad with short words.
    while (words.join(" ").length < minChars) words.push(r.pick(["and", "trade", "port", "sea", "plan"]));
    return words.join(" ");
  }

  /** A short cell for a table: a number, a year, a percentage or one to three short words. */
  cell(numeric: boolean): string {
    const r = this.random;
    if (numeric) return r.pick([String(r.int(1, 999)), `${r.int(1, 99)}.${r.int(0, 9)}`, `${r.int(1, 100)} %`, String(r.int(1990, 2030))]);
    return cap(Array.from({ length: r.int(1, 3) }, () => r.pick(CELL_WORDS)).join(" "));
  }

  /** A long web address that has no space to break at. */
  url(): string {
    const r = this.random;
    const path = Array.from({ length: r.int(3, 6) }, () => `${r.pick(ADJECTIVES)}-${r.pick(NOUNS)}`).join("/");
    return `https://www.${r.pick(NOUNS)}-${r.pick(NOUNS)}-${r.pick(["organisation", "secretariat", "council", "institute"])}.org/${path}/${r.int(2019, 2026)}-report.pdf`;
  }

  /** A long e-mail address. */
  email(): string {
    const r = this.random;
    return `${r.pick(NOUNS)}.${r.pick(NOUNS)}-${r.pick(["department", "office", "desk"])}@${r.pick(ADJECTIVES)}-${r.pick(NOUNS)}-${r.pick(["secretariat", "council", "institute"])}.org`;
  }
}
