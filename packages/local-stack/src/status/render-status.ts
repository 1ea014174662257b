import type { Part, PipelineStatus } from './collect-status.ts';

/** Whether every part that exists for this target answered (the API ready, the queues and table read). */
export function everythingAnswers(status: PipelineStatus): boolean {
  const parts = [
    status.start,
    status.api,
    status.queue,
    status.processors,
    status.lastHour,
    status.lastErrors,
  ];
  return parts.every((part) => part === null || part.ok) && status.api.ok && status.api.ready;
}

/** The status as lines for a person, like `docker compose ps`: one block per part. */
export function renderStatus(status: PipelineStatus, stateFile: string): string {
  const lines: string[] = [];
  const where = status.endpoint ?? `AWS (${status.region})`;
  lines.push(
    `target      ${status.target === 'local' ? 'local pnpm start' : 'from the environment'}: ${where}`,
  );
  if (status.start === null) {
    lines.push(`pnpm start  not running (no live state in ${stateFile}); processors: local only`);
  } else if (status.start.ok) {
    const { pid, startedAt, stackPort, apiPort, logsDir } = status.start;
    lines.push(
      `pnpm start  running, pid ${pid}, since ${startedAt}; stack port ${stackPort}, API port ${apiPort}`,
    );
    lines.push(`            logs ${logsDir}`);
  }
  lines.push(
    `api         ${show(status.api, (api) => `${api.ready ? 'ready' : 'NOT READY'} at ${api.url}${describeChecks(api.checks)}`)}`,
  );
  lines.push(
    `queue       ${show(status.queue, (queue) => `${queue.visible} visible, ${queue.inFlight} in flight; DLQ ${queue.deadLetter ?? 'none'}`)}`,
  );
  if (status.processors !== null) {
    lines.push(
      `processors  ${show(status.processors, (processors) => {
        const running = processors.running.map(
          (run) => `run ${run.runId} (pid ${run.pid ?? '?'}, since ${run.startedAt})`,
        );
        const last = processors.lastFinished;
        const ended = last
          ? `last: run ${last.runId} ${last.signal ? `killed by ${last.signal}` : `exit ${last.exitCode}`} at ${last.endedAt}` +
            (last.imagesProcessed === null
              ? ''
              : `, ${last.imagesProcessed} processed, ${last.imagesFailed ?? 0} failed`)
          : 'none finished yet';
        const limits = `at most ${processors.maxProcessorTasks}, one per ${processors.backlogPerTask} waiting`;
        return `${running.length} running (${limits})${running.length ? `: ${running.join(', ')}` : ''}; ${processors.finishedCount} finished; ${ended}`;
      })}`,
    );
  }
  lines.push(
    `last hour   ${show(status.lastHour, (hour) => {
      const counts = Object.entries(hour.byStatus).map(([name, n]) => `${n} ${name}`);
      return `${hour.truncated ? 'at least ' : ''}${hour.rows} rows: ${counts.join(', ')}`;
    })}`,
  );
  lines.push(
    `last errors ${show(status.lastErrors, ({ errors }) =>
      errors.length === 0
        ? 'none'
        : errors
            .map(
              (error) =>
                `${error.errorCode} (image ${error.imageId}, batch ${error.batchId}, ${error.processedAt})`,
            )
            .join('\n            '),
    )}`,
  );
  return `${lines.join('\n')}\n`;
}

function show<T>(part: Part<T>, describe: (facts: T) => string): string {
  return part.ok ? describe(part) : `UNREACHABLE ${part.error}`;
}

function describeChecks(checks: Record<string, string>): string {
  const entries = Object.entries(checks);
  return entries.length === 0 ? '' : ` (${entries.map(([name, state]) => `${name} ${state}`).join(', ')})`;
}
