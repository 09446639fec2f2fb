import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkOddSeed } from "./src/fuzz/odd-inputs.js";
const work = mkdtempSync(join(tmpdir(), "odd-"));
let clean = 0;
const t0 = Date.now();
for (let s = 1; s <= 150; s++) {
  const v = await checkOddSeed(s, work);
  if (!v.errors) clean++;
  if (v.crashes.length || v.unlocated.length || v.unhelpful.length) console.log(s, JSON.stringify({ c: v.crashes.map(c => c.split("\n").slice(0,4).join(" | ")), u: v.unlocated, h: v.unhelpful, p: v.pieces }));
}
console.log("clean", clean, "ms", Date.now() - t0, work);
