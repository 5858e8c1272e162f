// The CLI's root folder: dist/cli.js when bundled, cli/ when run from source.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assetDirs as fromRoot, type AssetDirs } from '../engine/assets';

export function assetDirs(): AssetDirs {
  const root = [join(__dirname, '..'), join(__dirname, '..', '..')].find((d) => existsSync(join(d, 'media', 'datasets'))) ?? join(__dirname, '..');
  return fromRoot(root);
}
