import { z } from "zod";
import type { LocatedYaml } from "./front-matter.js";
import type { Problems } from "./problems.js";
import { LABEL_KEYS } from "./language.js";

const text = z.string().trim().min(1, "Expected some text, not an empty value");
/** Numbers typed without quotes (a phone number) are taken as text. */
const looseText = z.union([z.string(), z.number()]).transform(String);
const isoDay = /^\d{4}-\d{2}-\d{2}$/;
/** `2024-07-04`, or an ISO 8601 interval of days `2024-07-15/2024-07-18`. */
const dateSpan = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(\/\d{4}-\d{2}-\d{2})?$/, "Expected an ISO date like `2024-07-04` or a span like `2024-07-15/2024-07-18`")
  .refine((v) => v.split("/").every(isRealDay), "Expected a real calendar day");

function isRealDay(day: string): boolean {
  if (!isoDay.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

/** A BCP 47 language tag the platform's Intl accepts: `en`, `en-GB`, `ru`. */
const languageTag = z
  .string()
  .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, "Expected a BCP 47 language tag like `en`, `ru` or `en-GB`")
  .refine((tag) => {
    try {
      return Intl.getCanonicalLocales(tag).length === 1;
    } catch {
      return false;
    }
  }, "Expected a BCP 47 language tag like `en`, `ru` or `en-GB`");

/** issue.yml `labels:`: any of the fixed words, in the editors' names. */
const labels = z
  .object(Object.fromEntries(Object.keys(LABEL_KEYS).map((key) => [key, text.optional()])) as Record<keyof typeof LABEL_KEYS, z.ZodOptional<typeof text>>)
  .strict();

/** issue.yml */
export const issueFileSchema = z
  .object({
    title: text,
    tagline: text.optional(),
    period: text.optional(),
    language: languageTag.default("en"),
    labels: labels.default({}),
    fonts: z.array(text).default([]),
    publisher: z
      .object({
        name: text,
        address: text.optional(),
        phone: looseText.optional(),
        email: text.optional(),
        web: text.optional(),
        social: z.array(text).default([]),
      })
      .strict()
      .optional(),
    cover: z
      .object({
        headlines: z.array(text).default([]),
        image: text.optional(),
        feature: z.object({ title: text, date: dateSpan.optional() }).strict().optional(),
      })
      .strict()
      .default({ headlines: [] }),
    page: z
      .object({
        size: text.default("A4"),
        bleed: z
          .string()
          .regex(/^\d+(\.\d+)?mm$/, "Expected a length in millimetres like `3mm`")
          .default("3mm"),
        binding: z.enum(["saddle-stitch", "perfect"]).default("saddle-stitch"),
        fill: z.enum(["house", "blank"]).default("house"),
      })
      .strict()
      .default({ size: "A4", bleed: "3mm", binding: "saddle-stitch", fill: "house" }),
  })
  .strict();
export type IssueFile = z.infer<typeof issueFileSchema>;

/** foreword.md */
export const forewordSchema = z
  .object({ title: text.optional(), author: text, role: text.optional(), language: languageTag.optional() })
  .strict();

/** spotlight and month articles */
export const articleSchema = z
  .object({
    title: text,
    date: dateSpan.optional(),
    place: text.optional(),
    toc: text.optional(),
    image: text.optional(),
    caption: text.optional(),
    language: languageTag.optional(),
  })
  .strict();

/** flash-briefing.md */
export const flashBriefingSchema = z.object({ title: text.optional(), language: languageTag.optional() }).strict();

const placementWords = ["inside-front-cover", "inside-back-cover", "back-cover", "filler"] as const;
/** ads/*.md */
export const adSchema = z
  .object({
    advertiser: text,
    placement: z.union([
      z.enum(placementWords, {
        error: `Expected one of ${placementWords.map((w) => `\`${w}\``).join(", ")}, or \`after: <slug>\``,
      }),
      z.object({ after: text }).strict(),
    ]),
    image: text.optional(),
    language: languageTag.optional(),
  })
  .strict();

/**
 * Validates parsed YAML against a schema and records every problem at the line
 * of the offending key or value. Returns the typed data, or undefined if invalid.
 */
export function validate<T extends z.ZodType>(
  schema: T,
  yaml: LocatedYaml,
  file: string,
  problems: Problems,
): z.infer<T> | undefined {
  const result = schema.safeParse(yaml.data ?? {});
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path.filter((p): p is string | number => typeof p !== "symbol");
    const where = path.length ? `\`${path.join(".")}\`` : "the front matter";
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        const allowed = allowedKeys(schema, path);
        problems.error(
          file,
          yaml.locate([...path, key], true),
          `Unknown key \`${key}\`${path.length ? ` in \`${path.join(".")}\`` : ""}`,
          "unknown-key",
          allowed.length ? `Allowed keys: ${allowed.map((k) => `\`${k}\``).join(", ")}` : undefined,
        );
      }
      continue;
    }
    const value = valueAt(yaml.data, path);
    if (issue.code === "invalid_type" && value === undefined) {
      problems.error(file, yaml.locate(path), `Missing required key ${where}`, "missing-key", "Add it to the front matter");
      continue;
    }
    if (issue.code === "invalid_type") {
      problems.error(file, yaml.locate(path), `Expected ${issue.expected} for ${where}, not ${describe(value)}`, "wrong-type");
      continue;
    }
    if (issue.code === "invalid_union") {
      // Report the first alternative's message: the one written for editors.
      const inner = issue.errors.flat()[0];
      problems.error(file, yaml.locate(path), `${inner?.message ?? issue.message} for ${where}, not ${describe(value)}`, "invalid-value");
      continue;
    }
    problems.error(file, yaml.locate(path), `${issue.message} for ${where}`, "invalid-value");
  }
  return undefined;
}

function valueAt(data: unknown, path: (string | number)[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

function describe(value: unknown): string {
  if (value === null) return "an empty value";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} \`${String(value)}\``;
}

function allowedKeys(schema: z.ZodType, path: (string | number)[]): string[] {
  let s: unknown = schema;
  for (const p of [...path]) {
    s = unwrap(s);
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (!shape || typeof p !== "string") return [];
    s = shape[p];
  }
  const shape = (unwrap(s) as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { innerType?: unknown; options?: unknown[] }; shape?: unknown };
  for (let i = 0; i < 5 && cur && !cur.shape; i++) {
    if (cur.def?.innerType) cur = cur.def.innerType as typeof cur;
    else if (cur.def?.options) cur = (cur.def.options.find((o) => (o as { shape?: unknown }).shape) ?? cur) as typeof cur;
    else break;
  }
  return cur;
}
