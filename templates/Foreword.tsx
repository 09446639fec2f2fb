import type { IssueView } from "./types.js";

/** The foreword: a letter, signed with the author's name and role. */
export function Foreword({ foreword }: { foreword: NonNullable<IssueView["foreword"]> }) {
  return (
    <section className="foreword" id={foreword.anchor} lang={foreword.language} data-section={foreword.title}>
      <h1 className="foreword-title section-marker">{foreword.title}</h1>
      {/* The signature ends the letter's last column, so that it never stands alone on a page. */}
      <div className="foreword-body">
        {foreword.body}
        <p className="signature">
          <span className="signature-name">{foreword.author}</span>
          {foreword.role && <span className="signature-role">{foreword.role}</span>}
        </p>
      </div>
    </section>
  );
}
