import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import type { Browser, PuppeteerNode } from "puppeteer";
import { DigestError } from "../errors.js";

/**
 * Puppeteer through require(): its CommonJS build loads in half the time of its
 * ES modules (0.14 s against 0.26 s here), and digest pays it at every build.
 */
const puppeteer = createRequire(import.meta.url)("puppeteer") as PuppeteerNode;

/** Where Chromium is usually installed, in the order we try them. */
const USUAL_PATHS = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
  "/opt/google/chrome/chrome",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
];

/** Finds the Chromium to drive: the --browser option, then PUPPETEER_EXECUTABLE_PATH, then the usual paths. */
export function findBrowser(explicit?: string): string {
  const candidates = [explicit, process.env.PUPPETEER_EXECUTABLE_PATH, process.env.CHROME_PATH].filter(
    (p): p is string => Boolean(p),
  );
  for (const path of candidates) {
    if (existsSync(path)) return path;
    throw new DigestError(
      `Cannot find the browser \`${path}\``,
      "Give the path of a Chromium or Chrome executable with --browser, or install Chromium: `apt-get install -y chromium`.",
    );
  }
  const found = USUAL_PATHS.find((p) => existsSync(p));
  if (found) return found;
  throw new DigestError(
    "Cannot find Chromium, which digest needs to lay out pages",
    "Install it (`apt-get install -y chromium`, or run `npm run setup`), or name one with --browser <path> or PUPPETEER_EXECUTABLE_PATH.",
  );
}

/** A running headless Chromium and how to close it for good. */
export interface BrowserSession {
  browser: Browser;
  close(): Promise<void>;
}

/**
 * Launches headless Chromium for pagination: no sandbox (CI runs as root), no
 * background networking (this machine has no network and must not need one),
 * a throwaway profile that is removed on close.
 *
 * Chromium keeps the machine's fonts (its fontconfig) on purpose: every glyph comes
 * from the fonts (digest check refuses text they cannot print, and a test
 * shows the PDF is the same without any system font), and should a character still
 * slip through, Chromium sets it in a font of the machine, which the build finds in
 * the PDF and refuses (src/press/font-origin.ts). With no fonts at all Chromium would
 * print nothing for it, silently.
 */
export async function launchBrowser(executablePath: string): Promise<BrowserSession> {
  const profile = await mkdtemp(join(tmpdir(), "digest-chromium-"));
  await mkdir(join(profile, "tmp"));
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: "new",
      // Signals are digest's to handle (close Chromium, keep the earlier PDF, say so), not puppeteer's.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      pipe: true,
      userDataDir: join(profile, "profile"),
      // Chromium's own temporary files go in our folder too, so nothing stays behind even if it is killed.
      env: { ...process.env, TMPDIR: join(profile, "tmp") },
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-quic",
        "--font-render-hinting=none",
        "--allow-file-access-from-files",
      ],
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw new DigestError(
      `Cannot start Chromium at \`${executablePath}\`: ${(error as Error).message.split("\n")[0]}`,
      "Check that this is a working Chromium (`chromium --version`), or name another with --browser <path>.",
    );
  }
  // Every caller waits for the same closing: an abort and a finally may both ask.
  let closing: Promise<void> | undefined;
  return {
    browser,
    close() {
      closing ??= (async () => {
        // The profile is thrown away, so there is nothing for Chromium to save on the way
        // out: it is killed (a tenth of a second sooner than asking it to quit) and waited for.
        const proc = browser.process();
        if (proc && proc.exitCode === null && proc.signalCode === null) {
          const exited = new Promise((resolve) => proc.once("exit", resolve));
          proc.kill("SIGKILL");
          await exited;
        } else if (browser.isConnected()) {
          await browser.close().catch(() => {});
        }
        browser.disconnect();
        // Chromium's helper processes may still be writing into the profile for a moment after the
        // main one is gone: the removal retries on ENOTEMPTY and the like rather than leave it behind.
        await rm(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }).catch(() => {});
      })();
      return closing;
    },
  };
}
