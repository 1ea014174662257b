/// <reference path="./types/dynalite.d.ts" />
import { once } from 'node:events';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { PermanentError } from '@photo-pipeline/shared/errors';
import dynalite from 'dynalite';
import { type FauxqsServer, startFauxqs } from 'fauxqs';

export interface EmulatorOptions {
  readonly region: string;
  /** Folder for on-disk state; undefined keeps everything in memory. */
  readonly dataDir: string | undefined;
}

export interface RunningEmulators {
  /** fauxqs: S3 and SQS (and STS GetCallerIdentity); the router hands it requests in-process. */
  readonly fauxqs: Server;
  /** dynalite: DynamoDB, likewise. */
  readonly dynalite: Server;
  /** Settles when an emulator stops without being asked to; never settles on a clean stop. */
  readonly died: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * Starts both emulators on private loopback ports. The public endpoint is the router in front of them.
 * With a data folder, fauxqs keeps queues and messages in SQLite and objects as files, and dynalite keeps
 * tables in LevelDB, so a stop and start keeps everything.
 */
export async function startEmulators(options: EmulatorOptions): Promise<RunningEmulators> {
  const fauxqs = await startFauxqsEmulator(options);
  let dynamoServer: Server;
  try {
    dynamoServer = await startDynalite(options);
  } catch (error) {
    await fauxqs.stop();
    throw error;
  }

  let stopping = false;
  const died = new Promise<Error>((resolve) => {
    dynamoServer.once('close', () => {
      if (!stopping) resolve(new Error('the DynamoDB emulator (dynalite) stopped unexpectedly'));
    });
    dynamoServer.on('error', (error) =>
      resolve(new Error(`the DynamoDB emulator (dynalite) failed: ${error.message}`)),
    );
  });

  return {
    fauxqs: fauxqs.httpServer,
    dynalite: dynamoServer,
    died,
    async stop() {
      stopping = true;
      await Promise.allSettled([fauxqs.stop(), closeServer(dynamoServer)]);
    },
  };
}

async function startFauxqsEmulator(options: EmulatorOptions): Promise<FauxqsServer> {
  try {
    return await startFauxqs({
      port: 0,
      // Patched option (see patches/): the emulator is only reached through the router, on loopback.
      listenHost: '127.0.0.1',
      // Patched: queue URLs are built from the request's Host header, i.e. the public endpoint.
      host: '',
      logger: false,
      defaultRegion: options.region,
      ...(options.dataDir
        ? { dataDir: join(options.dataDir, 'fauxqs'), s3StorageDir: join(options.dataDir, 's3-objects') }
        : {}),
    });
  } catch (cause) {
    throw new PermanentError(
      'STACK_EMULATOR_FAILED',
      `could not start the S3/SQS emulator (fauxqs): ${String(cause)}`,
      {
        cause,
      },
    );
  }
}

async function startDynalite(options: EmulatorOptions): Promise<Server> {
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: join(options.dataDir, 'dynamodb') } : {}),
  });
  try {
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return server;
  } catch (cause) {
    throw new PermanentError(
      'STACK_EMULATOR_FAILED',
      `could not start the DynamoDB emulator (dynalite): ${String(cause)}`,
      {
        cause,
      },
    );
  }
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.closeAllConnections?.();
    server.close(() => resolve());
  });
}
