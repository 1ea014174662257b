// The peer of the upload benchmark: the seed's design (bench/peer/peer_app.py: FastAPI + boto3 under
// uvicorn, one worker, uvloop + httptools), run as its own process against the same endpoint as the API.
// Needs a Python 3 with fastapi, uvicorn, python-multipart, boto3, uvloop and httptools (Debian:
// python3-fastapi python3-uvicorn python3-multipart python3-boto3 python3-uvloop python3-httptools);
// PEER_PYTHON names another interpreter. Without one the benchmark skips the peer and says why.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freeLoopbackPort, waitForHealth } from '@photo-pipeline/local-stack';
import { type FoundPython, findPython } from '@photo-pipeline/test-support/python-finder';

const peerDir = fileURLToPath(new URL('./peer/', import.meta.url));
const requiredModules = ['fastapi', 'uvicorn', 'multipart', 'boto3', 'uvloop', 'httptools'];

/** The first interpreter that imports every module the peer needs: PEER_PYTHON, python3, Debian's. */
export function findPeerPython(override = process.env.PEER_PYTHON): Promise<FoundPython> {
  return findPython({
    override,
    modules: requiredModules,
    install:
      'peer skipped: install python3-fastapi python3-uvicorn python3-multipart python3-boto3 python3-uvloop python3-httptools (apt) or set PEER_PYTHON',
  });
}

export interface PeerProcess {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the peer on a free loopback port against `env` (the stack's serviceEnv) and waits for /healthz. */
export async function spawnPeer(python: string, env: Record<string, string>): Promise<PeerProcess> {
  const port = await freeLoopbackPort();
  const child = spawn(
    python,
    [
      ...['-m', 'uvicorn', 'peer_app:app', '--host', '127.0.0.1', '--port', String(port), '--workers', '1'],
      ...['--loop', 'uvloop', '--http', 'httptools', '--no-access-log', '--log-level', 'warning'],
    ],
    {
      cwd: peerDir,
      env: {
        PATH: process.env.PATH ?? '',
        PYTHONDONTWRITEBYTECODE: '1',
        AWS_DATA_PATH: `${peerDir}botocore-data`,
        AWS_REGION: env.AWS_REGION ?? 'us-east-1',
        AWS_DEFAULT_REGION: env.AWS_REGION ?? 'us-east-1',
        AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? '',
        AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID ?? '',
        AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY ?? '',
        PEER_BUCKET: env.UPLOADS_BUCKET ?? '',
        PEER_QUEUE_URL: env.JOBS_QUEUE_URL ?? '',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = once(child, 'exit');
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitForHealth(url, 20_000),
      exited.then(([code]) => {
        throw new Error(`peer exited with ${code} before answering /healthz:\n${stderr}`);
      }),
    ]);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
