import { toAppError } from '@photo-pipeline/shared/errors';
import type { BatchSummary, StoredReport } from '@photo-pipeline/shared/results-store';
import escapeHtml from 'escape-html';
import type { FastifyInstance } from 'fastify';

/** What the landing page shows besides its links: read from DynamoDB and S3 on each visit. */
export interface LandingReader {
  latestBatches(): Promise<readonly BatchSummary[]>;
  latestReport(): Promise<StoredReport | undefined>;
}

export interface LandingOptions {
  readonly reader: LandingReader;
  /**
   * True when the API requires keys (as on AWS): the page is public, so it then shows no batch ids,
   * counts or report keys, only its links and where to look instead.
   */
  readonly apiKeysEnabled: boolean;
}

/**
 * GET /: a small HTML page for people who open the API in a browser: links to the docs and the health
 * checks, the latest batches with their counts, the latest report's key. No script (the CSP allows none);
 * a part that cannot be read shows its error code instead of failing the page.
 */
export async function landingPage(app: FastifyInstance, options: LandingOptions): Promise<void> {
  app.get('/', { schema: { hide: true } }, async (_request, reply) => {
    const [batches, report] = options.apiKeysEnabled
      ? [withheld, withheld]
      : await Promise.all([settle(options.reader.latestBatches()), settle(options.reader.latestReport())]);
    return reply.type('text/html; charset=utf-8').send(renderLanding(batches, report));
  });
}

const withheld = { withheld: true } as const;

type Settled<T> = { readonly value: T } | { readonly failure: string } | typeof withheld;

async function settle<T>(work: Promise<T>): Promise<Settled<T>> {
  try {
    return { value: await work };
  } catch (error) {
    const appError = toAppError(error);
    return { failure: `${appError.code}: ${appError.message}` };
  }
}

const style = `body{font:15px/1.5 system-ui,sans-serif;max-width:58rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}nav a{margin-right:1.2rem}table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid #ddd}td.n{text-align:right}
.ok{color:#176b2c}.failed{color:#a3161a}.unavailable{color:#a3161a}code{background:#f3f3f3;padding:0 .2rem}`;

function renderLanding(
  batches: Settled<readonly BatchSummary[]>,
  report: Settled<StoredReport | undefined>,
): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><link rel="icon" href="data:,"><title>photo-pipeline upload API</title><style>${style}</style></head>
<body>
<h1>photo-pipeline upload API</h1>
<nav><a id="docs" href="/docs">API docs</a><a id="healthz" href="/healthz">/healthz</a><a id="readyz" href="/readyz">/readyz</a></nav>
<p>Upload with <code>npm run upload -- &lt;files or folders&gt; --wait</code> or <code>curl -F file=@photo.jpg /v1/images</code>.</p>
<h2>Latest batches</h2>
${renderBatches(batches)}
<h2>Latest report</h2>
${renderReport(report)}
</body>
</html>
`;
}

const withheldNote = (id: string, command: string) =>
  `<p id="${id}">Not shown: this API requires an API key and this page is public. <code>${command}</code> lists them.</p>`;

function renderBatches(batches: Settled<readonly BatchSummary[]>): string {
  if ('withheld' in batches) return withheldNote('batches', 'npm run results -- batches');
  if ('failure' in batches)
    return `<p class="unavailable" id="batches">unavailable: ${escapeHtml(batches.failure)}</p>`;
  if (batches.value.length === 0) return '<p id="batches">No results in the last 7 days yet.</p>';
  const rows = batches.value.map(
    (batch) =>
      `<tr><td><code>${escapeHtml(batch.batchId)}</code></td><td class="n ok">${batch.counts.SUCCEEDED}</td>` +
      `<td class="n failed">${batch.counts.FAILED}</td><td>${escapeHtml(batch.firstUploadedAt)}</td>` +
      `<td>${escapeHtml(batch.lastUploadedAt)}</td></tr>`,
  );
  return `<table id="batches"><thead><tr><th>batch</th><th>succeeded</th><th>failed</th><th>first upload</th><th>last upload</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<p>Details: <code>npm run results -- batch &lt;batch&gt;</code>.</p>`;
}

function renderReport(report: Settled<StoredReport | undefined>): string {
  if ('withheld' in report) return withheldNote('report', 'npm run results -- report &lt;batch&gt;');
  if ('failure' in report)
    return `<p class="unavailable" id="report">unavailable: ${escapeHtml(report.failure)}</p>`;
  if (!report.value) {
    return '<p id="report">No report yet: <code>npm run results -- report &lt;batch&gt;</code> writes one.</p>';
  }
  const { bucket, htmlKey, name, writtenAt } = report.value;
  return `<p id="report"><strong>${escapeHtml(name)}</strong>, written ${escapeHtml(writtenAt)}: <code>s3://${escapeHtml(bucket)}/${escapeHtml(htmlKey)}</code></p>`;
}
