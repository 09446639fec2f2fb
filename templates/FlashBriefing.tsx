import type { IssueView } from "./types.js";

/** The flash briefing: short items in columns; items that start with a heading are boxed notices. */
export function FlashBriefing({ briefing }: { briefing: NonNullable<IssueView["flashBriefing"]> }) {
  return (
    <section className="flash-briefing" id={briefing.anchor} lang={briefing.language} data-section={briefing.title}>
      <h1 className="flash-title section-marker">{briefing.title}</h1>
      <div className="flash-items">
        {briefing.items.map((item, i) => (
          <div key={i} className={item.boxed ? "flash-item flash-notice" : "flash-item"}>
            {item.body}
          </div>
        ))}
      </div>
    </section>
  );
}
