import { existsSync } from 'node:fs';
import { type BrowserContext, chromium } from 'playwright-core';
import sharp from 'sharp';

/** Debian's chromium, installed by scripts/install-chromium.sh; never a downloaded browser build. */
const chromiumPath = '/usr/bin/chromium';
// Without chromium a developer's run skips this file; in CI (where .ci/run installs it) it must run.
export const runBrowserTest = existsSync(chromiumPath) || process.env.CI === 'true';

/** Debian's chromium, headless, with a profile in `profileDir` and no background network traffic. */
export function launchChromium(profileDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The share of an image's pixels within a small distance of an RGB colour. */
export async function shareOfColour(
  png: Buffer,
  [r, g, b]: readonly [number, number, number],
): Promise<number> {
  const { data, info } = await sharp(png).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  let near = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    const distance =
      Math.abs((data[i] ?? 0) - r) + Math.abs((data[i + 1] ?? 0) - g) + Math.abs((data[i + 2] ?? 0) - b);
    if (distance < 40) near += 1;
  }
  return near / (info.width * info.height);
}
