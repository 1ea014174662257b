import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { moduleImports } from '../support/module-imports.ts';

const servicesDir = fileURLToPath(new URL('../../services/', import.meta.url));

/** The folders of a service that its core must not depend on: it declares ports they implement. */
const outerFolders = ['adapters', 'edge', 'entry'] as const;
/** Adapters implement the core's ports; the edge and the entry use them, never the other way round. */
const aboveAdapters = ['edge', 'entry'] as const;

interface Service {
  readonly name: string;
  readonly root: string;
  readonly packageName: string;
}

function servicesInRepo(): Service[] {
  return readdirSync(servicesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const root = path.join(servicesDir, entry.name);
      const manifest: { name: string } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
      return { name: entry.name, root, packageName: manifest.name };
    });
}

/**
 * The imports of one file under `<service>/src/core/` that lead out of the core: into the service's
 * adapters/, edge/ or entry/, through its own package name (whose index re-exports them), or by a
 * computed dynamic import that cannot be followed. Each as `<file>: <form> <specifier>`.
 */
function outwardImports(
  service: Service,
  file: string,
  sourceText: string,
  forbidden: readonly string[] = outerFolders,
): string[] {
  const src = path.join(service.root, 'src');
  const label = path.relative(service.root, file);
  return moduleImports(file, sourceText)
    .filter(({ specifier }) => {
      if (specifier === '<computed>') return true;
      if (specifier === service.packageName || specifier.startsWith(`${service.packageName}/`)) return true;
      if (!specifier.startsWith('.')) return false;
      const [folder] = path.relative(src, path.resolve(path.dirname(file), specifier)).split(path.sep);
      return forbidden.some((outer) => outer === folder);
    })
    .map(({ form, specifier }) => `${label}: ${form} ${specifier}`);
}

function filesUnder(service: Service, folder: string): string[] {
  const dir = path.join(service.root, 'src', folder);
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(dir, name));
}

const coreFiles = (service: Service) => filesUnder(service, 'core');

describe('each service keeps its core free of its adapters, edge and entry', () => {
  const services = servicesInRepo();

  it('finds the three services, each with TypeScript files in src/core', () => {
    expect(services.map((service) => service.name)).toEqual(
      expect.arrayContaining(['api', 'processor', 'results']),
    );
    for (const service of services) expect(coreFiles(service).length, service.name).toBeGreaterThan(0);
  });

  it.each(servicesInRepo().map((service) => [service.name, service] as const))(
    '%s: no file under src/core imports from src/adapters, src/edge or src/entry',
    (_name, service) => {
      const violations = coreFiles(service).flatMap((file) =>
        outwardImports(service, file, readFileSync(file, 'utf8')),
      );
      expect(violations).toEqual([]);
    },
  );

  it.each(servicesInRepo().map((service) => [service.name, service] as const))(
    '%s: no file under src/adapters imports from src/edge or src/entry',
    (_name, service) => {
      const violations = filesUnder(service, 'adapters').flatMap((file) =>
        outwardImports(service, file, readFileSync(file, 'utf8'), aboveAdapters),
      );
      expect(violations).toEqual([]);
    },
  );
});

describe('the check of core imports', () => {
  const service: Service = {
    name: 'results',
    root: path.join(servicesDir, 'results'),
    packageName: '@photo-pipeline/results',
  };
  const file = path.join(service.root, 'src', 'core', 'report', 'build-report.ts');

  it('catches every import form that leads into adapters, edge or entry', () => {
    // Prepare
    const source = [
      "import { makeThumbnails } from '../../adapters/thumbnails.ts';",
      "import type { Progress } from '../../edge/output/progress.ts';",
      "export { createResultsDeps } from '../../entry/results-deps.ts';",
      "export * from '../../adapters/queued-messages.ts';",
      "const later = await import('../../adapters/uploads-bucket.ts');",
      "type Deps = import('../../entry/results-deps.ts').ResultsDeps;",
      "import legacy = require('../../edge/commands/command-io.ts');",
      "const computed = await import(pathOf('adapters'));",
      "import { runResultsCli } from '@photo-pipeline/results';",
    ].join('\n');

    // Act
    const violations = outwardImports(service, file, source);

    // Assess
    expect(violations).toEqual([
      'src/core/report/build-report.ts: import ../../adapters/thumbnails.ts',
      'src/core/report/build-report.ts: import ../../edge/output/progress.ts',
      'src/core/report/build-report.ts: export-from ../../entry/results-deps.ts',
      'src/core/report/build-report.ts: export-from ../../adapters/queued-messages.ts',
      'src/core/report/build-report.ts: dynamic-import ../../adapters/uploads-bucket.ts',
      'src/core/report/build-report.ts: import-type-query ../../entry/results-deps.ts',
      'src/core/report/build-report.ts: import-equals ../../edge/commands/command-io.ts',
      'src/core/report/build-report.ts: dynamic-import <computed>',
      'src/core/report/build-report.ts: import @photo-pipeline/results',
    ]);
  });

  it('lets the core import itself, shared packages and libraries', () => {
    // Prepare
    const source = [
      "import { toCsv } from '../format/csv.ts';",
      "import type { ThumbnailMaker } from '../results-ports.ts';",
      "import { renderHtmlReport } from './render-html.ts';",
      "import type { ResultRow } from '@photo-pipeline/shared/contracts';",
      "import path from 'node:path';",
      "const sharp = await import('sharp');",
      "import { adapt } from './adapters/local.ts';",
    ].join('\n');

    // Act
    const violations = outwardImports(service, file, source);

    // Assess
    expect(violations).toEqual([]);
  });
});
