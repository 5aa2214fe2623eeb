package org.clusterdrill.core;

/** The style sheet that every report page embeds, so a page needs no file or network resource. */
final class ReportStyle {

    static final String CSS = """
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
                   color: #1f2328; margin: 24px auto; max-width: 1040px; padding: 0 16px; line-height: 1.4; }
            h1 { font-size: 1.5em; margin: 0 0 4px; word-break: break-word; }
            h2 { font-size: 1.15em; margin: 28px 0 8px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
            .muted { color: #59636e; }
            table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
            th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; vertical-align: top; }
            th { background: #f6f8fa; }
            td.number { text-align: right; white-space: nowrap; }
            td.value { font-family: ui-monospace, "DejaVu Sans Mono", monospace; word-break: break-all; }
            .summary { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
            .card { border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 14px; min-width: 160px; }
            .card .label { font-size: 0.8em; color: #59636e; text-transform: uppercase; letter-spacing: 0.04em; }
            .card .value { font-size: 1.2em; font-weight: 600; }
            .passed { color: #1a7f37; }
            .failed { color: #cf222e; }
            .other { color: #9a6700; }
            td.outcome { font-weight: 600; }
            pre { background: #f6f8fa; border: 1px solid #d0d7de; padding: 8px; white-space: pre-wrap;
                  word-break: break-word; font-size: 0.85em; }
            .timeline { width: 100%; height: auto; border: 1px solid #d0d7de; border-radius: 6px; }
            .timeline text { font-size: 12px; fill: #1f2328; }
            .timeline .axis text { fill: #59636e; font-size: 11px; }
            .timeline .inside { fill: #ffffff; }
            .changed { background: #fff1c2; }
            .missing { background: #ffd7d5; }
            .added { background: #d2f4d3; }
            tr.group td { border-top: 2px solid #8c959f; }
            .legend span { display: inline-block; padding: 0 6px; margin-right: 8px; border: 1px solid #d0d7de; }
            footer { margin-top: 32px; font-size: 0.85em; color: #59636e; }
            @media print {
              body { margin: 0; max-width: none; }
              * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
              h2 { break-after: avoid; }
              tr, .timeline { break-inside: avoid; }
            }
            """;

    private ReportStyle() {
    }
}
