import { GetQueueAttributesCommand, GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import { type AwsClients, classifyAwsError, resolveQueueUrl } from '@photo-pipeline/shared/aws';
import type { ResultRow } from '@photo-pipeline/shared/contracts';
import { PermanentError, toAppError } from '@photo-pipeline/shared/errors';
import { createResultsStore } from '@photo-pipeline/shared/results-store';
import type { StartState } from '../start/start-state.ts';

/** One part of the status: its facts, or why it could not be read (an error code and message). */
export type Part<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string };

export interface PipelineStatus {
  /** `local`: a running `pnpm start` published its state; `environment`: AWS's standard variables. */
  readonly target: 'local' | 'environment';
  /** The AWS endpoint (undefined: the SDK's regional AWS endpoints). */
  readonly endpoint: string | undefined;
  readonly region: string;
  /** The running `pnpm start` (local only): its process, ports and logs. */
  readonly start: Part<{
    pid: number;
    startedAt: string;
    stackPort: number;
    apiPort: number;
    logsDir: string;
  }> | null;
  readonly api: Part<{ url: string; ready: boolean; checks: Record<string, string> }>;
  readonly queue: Part<{ url: string; visible: number; inFlight: number; deadLetter: number | null }>;
  /** Local only: processors the local trigger runs now, and how the last one ended. */
  readonly processors: Part<
    Pick<StartState['processors'], 'running' | 'finishedCount' | 'lastFinished'> & StartState['scaling']
  > | null;
  readonly lastHour: Part<{ rows: number; byStatus: Record<string, number>; truncated: boolean }>;
  readonly lastErrors: Part<{
    errors: { imageId: string; batchId: string; errorCode: string; processedAt: string }[];
  }>;
}

export interface StatusSources {
  readonly clients: AwsClients;
  readonly config: {
    readonly AWS_REGION: string;
    readonly AWS_ENDPOINT_URL?: string | undefined;
    readonly JOBS_QUEUE_URL?: string | undefined;
    readonly JOBS_QUEUE_NAME: string;
    readonly RESULTS_TABLE: string;
    readonly UPLOADS_BUCKET: string;
  };
  readonly apiUrl: string;
  /** The state of a running `pnpm start`, when there is one. */
  readonly local: StartState | undefined;
  readonly now: Date;
}

const lastHourMaxRows = 10_000;
const lastErrorsShown = 5;

/** Reads every part at once; a part that cannot be read says why, the others are still shown. */
export async function collectStatus(sources: StatusSources): Promise<PipelineStatus> {
  const { local } = sources;
  const [api, queue, rows] = await Promise.all([
    part(() => readApi(sources.apiUrl)),
    part(() => readQueues(sources)),
    readLastHour(sources),
  ]);
  return {
    target: local ? 'local' : 'environment',
    endpoint: sources.config.AWS_ENDPOINT_URL,
    region: sources.config.AWS_REGION,
    start: local
      ? {
          ok: true,
          pid: local.pid,
          startedAt: local.startedAt,
          stackPort: local.stack.port,
          apiPort: local.api.port,
          logsDir: local.logsDir,
        }
      : null,
    api,
    queue,
    processors: local
      ? {
          ok: true,
          running: local.processors.running,
          finishedCount: local.processors.finishedCount,
          lastFinished: local.processors.lastFinished,
          ...local.scaling,
        }
      : null,
    ...rows,
  };
}

async function part<T>(read: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, ...(await read()) };
  } catch (error) {
    return unreadable(error);
  }
}

function unreadable(error: unknown): { readonly ok: false; readonly error: string } {
  const appError = toAppError(error);
  return { ok: false, error: `${appError.code}: ${appError.message}` };
}

async function readApi(
  url: string,
): Promise<{ url: string; ready: boolean; checks: Record<string, string> }> {
  let reply: Response;
  try {
    reply = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(5_000) });
  } catch (cause) {
    throw new PermanentError('API_UNREACHABLE', `not reachable at ${url}`, { cause });
  }
  const body = (await reply.json().catch(() => undefined)) as { checks?: Record<string, string> } | undefined;
  return { url, ready: reply.ok, checks: body?.checks ?? {} };
}

async function readQueues(sources: StatusSources) {
  try {
    return await readQueueDepths(sources);
  } catch (error) {
    throw classifyAwsError(error, 'reading the jobs queue and its DLQ');
  }
}

async function readQueueDepths(sources: StatusSources) {
  const { sqs } = sources.clients;
  const url = await resolveQueueUrl(sqs, sources.config);
  const reply = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: url,
      AttributeNames: [
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
        'RedrivePolicy',
      ],
    }),
  );
  const attributes = reply.Attributes ?? {};
  return {
    url,
    visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
    deadLetter: await readDeadLetterDepth(sources, attributes.RedrivePolicy),
  };
}

/** The DLQ found through the jobs queue's redrive policy (its ARN's last part is its name). */
async function readDeadLetterDepth(
  sources: StatusSources,
  redrivePolicy: string | undefined,
): Promise<number | null> {
  if (!redrivePolicy) return null;
  const target = (JSON.parse(redrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn;
  const name = target?.split(':').at(-1);
  if (!name) return null;
  const { sqs } = sources.clients;
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  const reply = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(reply.Attributes?.ApproximateNumberOfMessages ?? 0);
}

/** Rows uploaded in the last hour by status, and the newest FAILED rows' codes, in one pass. */
async function readLastHour(
  sources: StatusSources,
): Promise<Pick<PipelineStatus, 'lastHour' | 'lastErrors'>> {
  const store = createResultsStore(sources.clients, sources.config);
  const byStatus: Record<string, number> = { SUCCEEDED: 0, FAILED: 0 };
  const failed: Extract<ResultRow, { status: 'FAILED' }>[] = [];
  let rows = 0;
  let truncated = false;
  try {
    const until = sources.now;
    const since = new Date(until.getTime() - 3600_000);
    for await (const page of store.uploadedBetweenPages({ since, until, order: 'newest' })) {
      for (const row of page.rows) {
        rows += 1;
        byStatus[row.status] = (byStatus[row.status] ?? 0) + 1;
        if (row.status === 'FAILED') failed.push(row);
      }
      if (rows >= lastHourMaxRows) {
        truncated = true;
        break;
      }
    }
  } catch (error) {
    return { lastHour: unreadable(error), lastErrors: unreadable(error) };
  }
  const errors = failed
    .sort((a, b) => b.processedAt.localeCompare(a.processedAt))
    .slice(0, lastErrorsShown)
    .map((row) => ({
      imageId: row.imageId,
      batchId: row.batchId,
      errorCode: row.errorCode,
      processedAt: row.processedAt,
    }));
  return { lastHour: { ok: true, rows, byStatus, truncated }, lastErrors: { ok: true, errors } };
}
