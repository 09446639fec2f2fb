// Total area coverage: the sum of the four inks at the darkest spot of each page,
// as a printer's preflight measures it. Ghostscript renders each page's bleed box
// (the slug and its marks are not printed on the job) in CMYK, without
// anti-aliasing, at a resolution low enough to be quick and fine enough to see a
// rule: each pixel is 0.7 mm square, so the figure is what lies on the paper over
// at least that area, vectors and pictures alike.
import { spawn } from "node:child_process";
import { DigestError } from "../errors.js";

/** Pixels per inch of the rendering. */
export const COVERAGE_PPI = 36;

/**
 * The highest total area coverage of each page, in percent (400 = all four inks
 * solid), in page order. DeviceCMYK is measured as written and DeviceGray as
 * black; anything else goes through Ghostscript's default profiles.
 */
export async function inkCoverage(pdfPath: string, timeoutMs = 120_000): Promise<number[]> {
  const gs = spawn(
    "gs",
    ["-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-dUseBleedBox", "-sDEVICE=pamcmyk32", `-r${COVERAGE_PPI}`, "-sOutputFile=-", pdfPath],
    { stdio: ["ignore", "pipe", "pipe"], timeout: timeoutMs },
  );
  const pages: number[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let left = 0; // bytes of the current page's pixels still to come
  let highest = 0;
  let stderr = "";
  gs.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  gs.stdout.on("data", (chunk: Buffer) => {
    let data: Buffer = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    pending = Buffer.alloc(0);
    while (data.length) {
      if (left === 0) {
        // A PAM header: P7, WIDTH, HEIGHT, DEPTH 4, MAXVAL 255, TUPLTYPE CMYK, ENDHDR.
        const end = data.indexOf("ENDHDR\n");
        if (end < 0) {
          pending = data;
          return;
        }
        const header = data.subarray(0, end).toString("latin1");
        const size = (key: string) => Number(new RegExp(`${key}\\s+(\\d+)`).exec(header)?.[1] ?? 0);
        left = size("WIDTH") * size("HEIGHT") * 4;
        highest = 0;
        data = data.subarray(end + 7);
        if (!left) pages.push(0);
        continue;
      }
      // Whole pixels only: a pixel cut between two chunks waits for the next one.
      const take = Math.min(left, data.length - (data.length % 4));
      if (take === 0) {
        pending = data;
        return;
      }
      for (let i = 0; i < take; i += 4) {
        const sum = data[i]! + data[i + 1]! + data[i + 2]! + data[i + 3]!;
        if (sum > highest) highest = sum;
      }
      left -= take;
      data = data.subarray(take);
      if (left === 0) pages.push(Math.round((highest / 255) * 100));
    }
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    gs.on("error", (error: NodeJS.ErrnoException) =>
      reject(
        error.code === "ENOENT"
          ? new DigestError("Cannot find Ghostscript (`gs`), which measures the ink coverage; install it (`apt-get install -y ghostscript`)")
          : error,
      ),
    );
    gs.on("close", resolve);
  });
  if (code !== 0) throw new DigestError(`Ghostscript could not render the PDF to measure its ink: ${stderr.trim().split("\n")[0] || `exit code ${code}`}`);
  return pages;
}
