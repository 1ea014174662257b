import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ProcessorRun {
  readonly runId: number;
  readonly reason: string;
  readonly pid: number | undefined;
  readonly startedAt: Date;
  /** Settles when the process has exited. */
  readonly finished: Promise<ProcessorRunResult>;
  /** Sends a signal (SIGTERM to stop gracefully, as ECS StopTask does). */
  kill(signal?: NodeJS.Signals): void;
}

export interface ProcessorRunResult {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly endedAt: Date;
  /** From the processor's final "processor exiting" log line, when it wrote one. */
  readonly imagesProcessed: number | undefined;
  readonly imagesFailed: number | undefined;
}

export interface LaunchOptions {
  /** The command that runs one processor task, e.g. [node, --conditions=development, main.ts]. */
  readonly command: readonly [string, ...string[]];
  /** The task's environment, as the RunTask's container overrides would give it. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Each line the processor writes on stdout or stderr, for the caller to forward or keep. */
  readonly onOutput?: (line: string, runId: number) => void;
}

export type LaunchProcessor = (runId: number, reason: string) => ProcessorRun;

interface ExitSummary {
  imagesProcessed?: number;
  imagesFailed?: number;
}

/** Parses the processor's final JSON line: {"msg":"processor exiting","imagesProcessed":N,...}. */
export function parseExitSummary(line: string): ExitSummary | undefined {
  if (!line.includes('processor exiting')) return undefined;
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; imagesProcessed?: unknown; imagesFailed?: unknown };
    if (parsed.msg !== 'processor exiting') return undefined;
    return {
      ...(typeof parsed.imagesProcessed === 'number' ? { imagesProcessed: parsed.imagesProcessed } : {}),
      ...(typeof parsed.imagesFailed === 'number' ? { imagesFailed: parsed.imagesFailed } : {}),
    };
  } catch {
    return undefined;
  }
}

/** Runs processor tasks as child processes: the local stand-in for ECS RunTask. */
export function processorLauncher(options: LaunchOptions): LaunchProcessor {
  return (runId, reason) => {
    const [executable, ...args] = options.command;
    const child = spawn(executable, args, { env: { ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let summary: ExitSummary = {};
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on('line', (line) => {
        summary = parseExitSummary(line) ?? summary;
        options.onOutput?.(line, runId);
      });
    }
    const finished = new Promise<ProcessorRunResult>((resolve) => {
      child.once('error', (error) => {
        options.onOutput?.(`could not start the processor: ${error.message}`, runId);
      });
      child.once('close', (exitCode, signal) => {
        resolve({
          exitCode,
          signal,
          endedAt: new Date(),
          imagesProcessed: summary.imagesProcessed,
          imagesFailed: summary.imagesFailed,
        });
      });
    });
    return {
      runId,
      reason,
      pid: child.pid,
      startedAt: new Date(),
      finished,
      kill: (signal = 'SIGTERM') => {
        child.kill(signal);
      },
    };
  };
}
