import { InvalidArgumentError } from 'commander';

/** Commander's parser of a port option (`--port`, `--api-port`): a whole number 0-65535, 0 = any free port. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('expected a port 0-65535');
  }
  return port;
}
