import { startPreview } from "../preview/server.js";
import type { Output } from "./output.js";

/** `digest preview <issue>`: serves the issue's pages until Ctrl-C, reloading them as files are saved. */
export async function previewCommand(issue: string, options: { port: number }, out: Output): Promise<void> {
  const server = await startPreview({ issue, port: options.port, log: (line) => out.warn(line) });
  out.result(`Open ${server.url} in a browser; press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      void server.close().then(resolve);
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
