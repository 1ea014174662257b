// The peer of the upload benchmark: the seed's design (bench/peer/peer_app.py: FastAPI + boto3 under
// uvicorn, one worker, uvloop + httptools), run as its own process against the same endpoint as the API.
// Needs a Python 3 with fastapi, uvicorn, python-multipart, boto3, uvloop and httptools (Debian:
// python3-fastapi python3-uvicorn python3-multipart python3-boto3 python3-uvloop python3-httptools);
// PEER_PYTHON names another interpreter. Without one the benchmark skips the peer and says why.
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freeLoopbackPort, waitForHealth } from '@photo-pipeline/local-stack';

const run = promisify(execFile);
const peerDir = fileURLToPath(new URL('./peer/', import.meta.url));
const requiredModules = ['fastapi', 'uvicorn', 'multipart', 'boto3', 'uvloop', 'httptools'];

export type PeerPython =
  | { readonly available: true; readonly python: string }
  | { readonly available: false; readonly skipped: string };

/** The first interpreter that imports every module the peer needs: PEER_PYTHON, python3, Debian's. */
export async function findPeerPython(override = process.env.PEER_PYTHON): Promise<PeerPython> {
  const candidates = [override, 'python3', '/usr/bin/python3'].filter((python): python is string =>
    Boolean(python),
  );
  const missing: string[] = [];
  for (const python of candidates) {
    const probe = `import importlib.util as u; print(",".join(m for m in ${JSON.stringify(requiredModules)} if u.find_spec(m) is None))`;
    const absent = await run(python, ['-c', probe], { timeout: 20_000 }).then(
      ({ stdout }) => stdout.trim(),
      () => 'python itself',
    );
    if (absent === '') return { available: true, python };
    missing.push(`${python}: no ${absent}`);
  }
  return {
    available: false,
    skipped: `peer skipped, no Python with its packages (${missing.join('; ')}); install python3-fastapi python3-uvicorn python3-multipart python3-boto3 python3-uvloop python3-httptools (apt) or set PEER_PYTHON`,
  };
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
