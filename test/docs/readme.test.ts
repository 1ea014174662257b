import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startConfigSchema } from '@photo-pipeline/local-stack/start-config';
import { apiConfigSchema, processorConfigSchema, resultsConfigSchema } from '@photo-pipeline/shared/config';
import { errorCatalogue } from '@photo-pipeline/shared/errors';
import { describe, expect, it } from 'vitest';

const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');

describe('the README stays true', () => {
  it.each([
    ['api', apiConfigSchema.shape],
    ['processor', processorConfigSchema.shape],
    ['results', resultsConfigSchema.shape],
    ['local stack and pnpm start', startConfigSchema.shape],
  ])('documents every environment variable of the %s configuration', (_name, shape) => {
    const missing = Object.keys(shape).filter((variable) => !readme.includes(`\`${variable}\``));
    expect(missing).toEqual([]);
  });

  it('lists every error code with the HTTP status and exit code the catalogue maps it to', () => {
    for (const [code, info] of Object.entries(errorCatalogue)) {
      const row = new RegExp(`^\\|\\s*\`${code}\`\\s*\\|\\s*(\\d+)\\s*\\|\\s*(\\d+)\\s*\\|`, 'm').exec(
        readme,
      );
      expect(row, `README row for ${code}`).not.toBeNull();
      expect([Number(row?.[1]), Number(row?.[2])], code).toEqual([info.httpStatus, info.exitCode]);
    }
  });

  it('names the two quick-start commands, and .ci/run calls the same test command', () => {
    expect(readme).toMatch(/^npm start\s/m);
    expect(readme).toMatch(/^npm test\s/m);
    const ciRun = readFileSync(fileURLToPath(new URL('../../.ci/run', import.meta.url)), 'utf8');
    expect(ciRun).toMatch(/^npm test /m);
  });
});
