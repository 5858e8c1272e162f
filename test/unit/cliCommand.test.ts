// Copy CLI Command's text: the CLI inside the installed extension, with paths quoted for the shell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliCommandLine, shellQuote } from '../../host/cliCommand';
import { repo } from './helpers';

test('the command names the bundled CLI and the model file, quoted where the shell needs it', () => {
  assert.equal(cliCommandLine('/ext/modellab', '/w/xor.model.yaml', 'linux'), 'node /ext/modellab/bin/model-lab.js train /w/xor.model.yaml');
  assert.equal(cliCommandLine('/ext/', undefined, 'linux'), 'node /ext/bin/model-lab.js');
  assert.equal(cliCommandLine('/home/a b', "/w/it's.model.yaml", 'linux'), `node '/home/a b/bin/model-lab.js' train '/w/it'\\''s.model.yaml'`);
  assert.equal(cliCommandLine('C:\\Users\\a b\\ext', 'C:\\w\\x.model.yaml', 'win32'), 'node "C:\\Users\\a b\\ext\\bin\\model-lab.js" train "C:\\w\\x.model.yaml"');
  assert.equal(shellQuote('$(rm -rf ~)', 'linux'), `'$(rm -rf ~)'`);
});

test('the copied command runs: it prints the CLI usage from the repository layout the extension ships', () => {
  const line = cliCommandLine(repo, undefined, 'linux');
  const r = spawnSync('sh', ['-c', `${line} --help`], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0 && /Cannot find module .*dist\/cli\.js/.test(r.stderr)) assert.fail('dist/cli.js is missing: npm run build first');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /model-lab train FILE/);
  assert.ok(join(repo, 'bin', 'model-lab.js'));
});
