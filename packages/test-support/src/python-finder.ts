import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type FoundPython =
  | { readonly available: true; readonly python: string }
  | { readonly available: false; readonly skipped: string };

export interface PythonWanted {
  /** An interpreter named by the user (e.g. PEER_PYTHON), tried first. */
  readonly override: string | undefined;
  /** Modules it must import (`import` names, e.g. `cv2`, `multipart`). */
  readonly modules: readonly string[];
  /** How to get them, appended to the reason a benchmark skips its Python path. */
  readonly install: string;
}

/**
 * The first interpreter that imports every wanted module: the override, `python3` on PATH, then Debian's
 * `/usr/bin/python3`; otherwise why none would do, naming each interpreter and what it lacked.
 */
export async function findPython(wanted: PythonWanted): Promise<FoundPython> {
  const candidates = [wanted.override, 'python3', '/usr/bin/python3'].filter((python): python is string =>
    Boolean(python),
  );
  const probe = [
    'import importlib',
    'absent = []',
    `for name in ${JSON.stringify(wanted.modules)}:`,
    '    try: importlib.import_module(name)',
    '    except Exception: absent.append(name)',
    'print(",".join(absent))',
  ].join('\n');
  const missing: string[] = [];
  for (const python of candidates) {
    const absent = await run(python, ['-c', probe], { timeout: 20_000 }).then(
      ({ stdout }) => stdout.trim(),
      () => 'python itself',
    );
    if (absent === '') return { available: true, python };
    missing.push(`${python}: no ${absent}`);
  }
  return {
    available: false,
    skipped: `no Python with ${wanted.modules.join(', ')} (${missing.join('; ')}); ${wanted.install}`,
  };
}
