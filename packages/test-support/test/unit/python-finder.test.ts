import { describe, expect, it } from 'vitest';
import { findPython } from '../../src/python-finder.ts';

describe('findPython', () => {
  it('passes over an interpreter that does not run and takes the next that imports every module', async () => {
    const found = await findPython({
      override: '/nonexistent/python',
      modules: ['json', 'hashlib'],
      install: '',
    });

    expect(found).toMatchObject({ available: true });
    expect(found.available && found.python).not.toBe('/nonexistent/python');
  });

  it('says why none would do, naming each interpreter and the modules it lacked, and how to get them', async () => {
    const found = await findPython({
      override: '/nonexistent/python',
      modules: ['json', 'no_such_module_for_this_test'],
      install: 'install it (apt) or set SOME_PYTHON',
    });

    expect(found.available).toBe(false);
    const skipped = found.available ? '' : found.skipped;
    expect(skipped).toContain('/nonexistent/python: no python itself');
    expect(skipped).toMatch(/python3: no (no_such_module_for_this_test|python itself)/);
    expect(skipped).not.toContain('no json');
    expect(skipped).toMatch(/install it \(apt\) or set SOME_PYTHON$/);
  });
});
