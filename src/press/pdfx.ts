import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { DigestError } from "../errors.js";

const run = promisify(execFile);

/** Where Ghostscript keeps its ICC profiles on the systems we know. */
const GS_SHARE = ["/usr/share/ghostscript", "/usr/local/share/ghostscript", "/opt/homebrew/share/ghostscript"];

export interface PdfxOptions {
  /** The printer's CMYK ICC profile; default: the CMYK profile that ships with Ghostscript. */
  iccPath?: string;
  /** Written into the document info (PDF/X requires a title). */
  title: string;
  /** The name of the printing condition, shown by preflight tools. */
  outputCondition?: string;
  /** The date to write (SOURCE_DATE_EPOCH for Ghostscript), so the same sources give the same bytes. */
  date?: Date;
  timeoutMs?: number;
}

export interface PdfxResult {
  /** `PDF/X-3:2002` or `PDF/X-4`. */
  version: string;
  iccPath: string;
  ghostscript: string;
}

/** Where a PDF string token that starts at `at` ends (one past its last byte): `<hex>` or `(literal)`, escapes and nested brackets included. */
function endOfString(text: string, at: number): number {
  if (text[at] === "<") {
    const close = text.indexOf(">", at);
    return close < 0 ? -1 : close + 1;
  }
  if (text[at] !== "(") return -1;
  let depth = 0;
  for (let i = at; i < text.length; i++) {
    const c = text[i];
    if (c === "\\") i++; // an escaped byte, whatever it is: \( \) \\ \n \ddd
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * The byte range of the trailer's `/ID [ … ]` array, read as a PDF reader does: the
 * trailer (or cross-reference stream) that the last `startxref` points to, its two
 * strings in either of the forms Ghostscript writes, hexadecimal `<…>` or literal `(…)`.
 */
export function trailerIdRange(text: string): { start: number; end: number } | undefined {
  const startxref = text.lastIndexOf("startxref");
  if (startxref < 0) return undefined;
  const offset = Number(/^startxref\s+(\d+)/.exec(text.slice(startxref))?.[1] ?? NaN);
  if (!Number.isFinite(offset)) return undefined;
  // A classic trailer follows the xref table; a cross-reference stream's dictionary is the object at the offset.
  const trailer = text.lastIndexOf("trailer", startxref);
  const dictStart = trailer > offset ? trailer : offset;
  for (let at = text.indexOf("/ID", dictStart); at >= 0 && at < startxref; at = text.indexOf("/ID", at + 3)) {
    let i = at + 3;
    if (/[A-Za-z0-9]/.test(text[i] ?? "")) continue; // a longer name, e.g. /IDTree
    while (/\s/.test(text[i] ?? "")) i++;
    if (text[i] !== "[") continue;
    i++;
    for (let n = 0; n < 2; n++) {
      while (/\s/.test(text[i] ?? "")) i++;
      i = endOfString(text, i);
      if (i < 0) return undefined;
    }
    while (/\s/.test(text[i] ?? "")) i++;
    if (text[i] !== "]") return undefined;
    return { start: at, end: i + 1 };
  }
  return undefined;
}

/**
 * Ghostscript's document ID mixes in the time and the output file's name; it is
 * replaced by a hash of the rest of the file. The ID stands in the trailer, after
 * everything the cross-reference table points at, so its length may change.
 * Returns the bytes unchanged when the file has no ID.
 */
export function withContentDerivedId(bytes: Buffer): Buffer {
  const text = bytes.toString("latin1");
  const range = trailerIdRange(text);
  if (!range) return bytes;
  const rest = Buffer.concat([bytes.subarray(0, range.start), bytes.subarray(range.end)]);
  const id = createHash("sha256").update(rest).digest("hex").toUpperCase().slice(0, 32);
  return Buffer.concat([bytes.subarray(0, range.start), Buffer.from(`/ID [<${id}><${id}>]`, "latin1"), bytes.subarray(range.end)]);
}

function fixDocumentId(path: string): void {
  writeFileSync(path, withContentDerivedId(readFileSync(path)));
}

/** The installed Ghostscript's version, or undefined when there is none. */
export async function ghostscriptVersion(): Promise<string | undefined> {
  try {
    const { stdout } = await run("gs", ["--version"]);
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** The CMYK profile Ghostscript ships (default_cmyk.icc), when it can be found. */
export function defaultCmykProfile(): string | undefined {
  for (const share of GS_SHARE) {
    if (!existsSync(share)) continue;
    for (const version of readdirSync(share).sort().reverse()) {
      const path = join(share, version, "iccprofiles", "default_cmyk.icc");
      if (existsSync(path)) return path;
    }
  }
  const debian = "/usr/share/color/icc/ghostscript/default_cmyk.icc";
  return existsSync(debian) ? debian : undefined;
}

/**
 * `-dPDFX=4` works from Ghostscript 10.05 on; before that PDFX is a boolean
 * (PDF/X-3, written as PDF 1.3), and `-dPDFX=4` fails.
 */
function supportsPdfx4(version: string): boolean {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  return major > 10 || (major === 10 && minor >= 5);
}

const psString = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * Converts the print edition to PDF/X with Ghostscript: CMYK through the printer's
 * profile, which is embedded as the output intent; page boxes are kept.
 */
export async function convertToPdfx(input: string, output: string, options: PdfxOptions): Promise<PdfxResult> {
  const gs = await ghostscriptVersion();
  if (!gs) {
    throw new DigestError(
      "Cannot find Ghostscript (`gs`), which makes the PDF/X edition",
      "Install it (`apt-get install -y ghostscript`, or `npm run setup`), then build again.",
    );
  }
  const iccPath = options.iccPath ?? defaultCmykProfile();
  if (!iccPath) throw new DigestError("Cannot find a CMYK ICC profile for the PDF/X edition", "Give the printer's profile with --icc <file>.");
  if (!existsSync(iccPath)) throw new DigestError(`Cannot find the ICC profile \`${iccPath}\``, "Check the path given to --icc.");

  const x4 = supportsPdfx4(gs);
  const version = x4 ? "PDF/X-4" : "PDF/X-3:2002";
  const condition = options.outputCondition ?? "Commercial offset printing (CMYK)";
  // Ghostscript's PDF/X prefix: version and title in the info, the profile as the output intent.
  const prefix = [
    "%!",
    `[ /GTS_PDFXVersion ${psString(version)} /Title ${psString(options.title)} /Trapped /False /DOCINFO pdfmark`,
    "[/_objdef {icc_PDFX} /type /stream /OBJ pdfmark",
    "[{icc_PDFX} << /N 4 >> /PUT pdfmark",
    `[{icc_PDFX} ${psString(iccPath)} (r) file /PUT pdfmark`,
    "[/_objdef {OutputIntent_PDFX} /type /dict /OBJ pdfmark",
    `[{OutputIntent_PDFX} << /Type /OutputIntent /S /GTS_PDFX /OutputCondition ${psString(condition)} /OutputConditionIdentifier (Custom) /RegistryName (http://www.color.org) /Info ${psString(condition)} /DestOutputProfile {icc_PDFX} >> /PUT pdfmark`,
    "[{Catalog} << /OutputIntents [ {OutputIntent_PDFX} ] >> /PUT pdfmark",
    "",
  ].join("\n");
  const work = mkdtempSync(join(tmpdir(), "digest-pdfx-"));
  const prefixPath = join(work, "pdfx-def.ps");
  writeFileSync(prefixPath, prefix);
  try {
    await run(
      "gs",
      [
        "-dBATCH",
        "-dNOPAUSE",
        "-dQUIET",
        "-dSAFER",
        `--permit-file-read=${iccPath}`,
        "-sDEVICE=pdfwrite",
        x4 ? "-dPDFX=4" : "-dPDFX",
        `-dCompatibilityLevel=${x4 ? "1.6" : "1.3"}`,
        "-sColorConversionStrategy=CMYK",
        "-sProcessColorModel=DeviceCMYK",
        `-sOutputICCProfile=${iccPath}`,
        "-dEmbedAllFonts=true",
        "-dSubsetFonts=true",
        "-dAutoRotatePages=/None",
        `-sOutputFile=${output}`,
        prefixPath,
        input,
      ],
      {
        timeout: options.timeoutMs ?? 300_000,
        maxBuffer: 16 * 1024 * 1024,
        env: options.date ? { ...process.env, SOURCE_DATE_EPOCH: String(Math.floor(options.date.getTime() / 1000)) } : process.env,
      },
    );
    fixDocumentId(output);
  } catch (error) {
    rmSync(output, { force: true });
    const e = error as { stderr?: string; stdout?: string; message: string };
    const said = (e.stderr || e.stdout || e.message).trim().split("\n").slice(0, 3).join(" ");
    throw new DigestError(`Ghostscript could not make the PDF/X edition: ${said}`, "Check the ICC profile given to --icc; run `gs --version` to see Ghostscript works.");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return { version, iccPath, ghostscript: gs };
}
