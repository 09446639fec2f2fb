// The flash briefing's items: its body cut at the thematic breaks (`---`).
import type { FootnoteDefinition, Root as MdastRoot, RootContent } from "mdast";
import { visit } from "unist-util-visit";

/**
 * The flash briefing's items: the runs of blocks between thematic breaks. A
 * footnote's text goes with the item that first calls it, wherever it is written,
 * so that each item prints its own notes.
 */
export function splitAtBreaks(tree: MdastRoot): RootContent[][] {
  const runs: RootContent[][] = [[]];
  const notes: FootnoteDefinition[] = [];
  for (const node of tree.children) {
    if (node.type === "thematicBreak") runs.push([]);
    else if (node.type === "footnoteDefinition") notes.push(node);
    else runs[runs.length - 1]!.push(node);
  }
  for (const note of notes) {
    const calls = (run: RootContent[]) => {
      let found = false;
      visit({ type: "root", children: run } as MdastRoot, "footnoteReference", (ref) => {
        if (ref.identifier === note.identifier) found = true;
      });
      return found;
    };
    (runs.find(calls) ?? [...runs].reverse().find((run) => run.length) ?? runs[0]!).push(note);
  }
  return runs;
}
