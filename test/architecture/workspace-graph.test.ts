import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Workspace {
  readonly name: string;
  /** Workspace packages it lists, in dependencies or devDependencies alike (pnpm orders by both). */
  readonly uses: readonly string[];
}

/**
 * The workspace folders pnpm-workspace.yaml names: plain folders, and `<folder>/*` for each of its
 * subfolders with a package.json (as pnpm reads them). Any other pattern fails here, so a new form of
 * entry cannot drop workspaces from the check unseen.
 */
function workspaceFolders(): string[] {
  const workspace = parseYaml(readFileSync(path.join(repoRoot, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages: string[];
  };
  return workspace.packages.flatMap((pattern) => {
    if (!pattern.includes('*')) return [pattern];
    const parent = pattern.slice(0, -'/*'.length);
    if (!pattern.endsWith('/*') || parent.includes('*')) {
      throw new Error(`pnpm-workspace.yaml: "${pattern}" is neither a folder nor <folder>/*`);
    }
    return readdirSync(path.join(repoRoot, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(parent, entry.name))
      .filter((folder) => existsSync(path.join(repoRoot, folder, 'package.json')));
  });
}

function workspacesInRepo(): Workspace[] {
  return workspaceFolders().map((folder) => {
    const manifest: {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    } = JSON.parse(readFileSync(path.join(repoRoot, folder, 'package.json'), 'utf8'));
    const listed = { ...manifest.dependencies, ...manifest.devDependencies };
    const uses = Object.entries(listed)
      .filter(([, range]) => range.startsWith('workspace:'))
      .map(([name]) => name);
    return { name: manifest.name, uses };
  });
}

/** Every cycle's path (`a -> b -> a`), found by a depth-first walk from each workspace. */
function cyclesIn(workspaces: readonly Workspace[]): string[] {
  const uses = new Map(workspaces.map((workspace) => [workspace.name, workspace.uses]));
  const cycles: string[] = [];
  const done = new Set<string>();
  const walk = (name: string, trail: string[]): void => {
    const start = trail.indexOf(name);
    if (start >= 0) {
      cycles.push([...trail.slice(start), name].join(' -> '));
      return;
    }
    if (done.has(name)) return;
    for (const next of uses.get(name) ?? []) walk(next, [...trail, name]);
    done.add(name);
  };
  for (const workspace of workspaces) walk(workspace.name, []);
  return cycles;
}

describe('the workspace graph', () => {
  it('finds the cycles it is meant to find', () => {
    const cycles = cyclesIn([
      { name: 'a', uses: ['b'] },
      { name: 'b', uses: ['c'] },
      { name: 'c', uses: ['a'] },
      { name: 'd', uses: ['a'] },
    ]);
    expect(cycles).toEqual(['a -> b -> c -> a']);
  });

  // pnpm warns at every install about a cycle (devDependencies count) and cannot then order `pnpm -r`
  // runs; a test-only helper package that imports a service is how the last one came in.
  it('has no cycle through dependencies or devDependencies', () => {
    const workspaces = workspacesInRepo();
    expect(workspaces.map((workspace) => workspace.name)).toContain('@photo-pipeline/test-support');
    expect(cyclesIn(workspaces)).toEqual([]);
  });
});
