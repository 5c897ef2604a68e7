// The watcher of `meshc check --watch` (src/cli/watch.ts), driven directly: a directory that cannot be watched is
// named on stderr (never a silent gap), and the rest of the tree is still watched.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers/temp.ts';
import { until } from './helpers/wait.ts';
import { watchAndRerun } from '../src/cli/watch.ts';

test('a directory the system will not watch is named, with why; changes elsewhere still start a run', async () => {
  const cwd = tempDir('meshc-watch-dirs-');
  mkdirSync(join(cwd, 'mesh', 'apps'), { recursive: true });
  mkdirSync(join(cwd, 'mesh', 'policy'), { recursive: true });
  const notes: string[] = [];
  let runs = 0;
  // fs.watch as it behaves once fs.inotify.max_user_watches is used up, for one directory.
  const limited = ((path: string, ...rest: unknown[]) => {
    if (String(path).endsWith('policy')) throw Object.assign(new Error('ENOSPC: System limit for number of file watchers reached'), { code: 'ENOSPC' });
    return (watch as (...a: unknown[]) => ReturnType<typeof watch>)(path, ...rest);
  }) as typeof watch;
  const done = watchAndRerun(async () => (runs++, 0), { cwd, paths: ['mesh'], note: (t) => notes.push(t), watch: limited });
  try {
    await until(() => runs === 1 && notes.some((n) => n.includes('watching for changes')), 'the first run');
    const warning = notes.find((n) => n.startsWith('meshc: cannot watch'));
    if (process.platform === 'linux') {
      assert.is(warning, `meshc: cannot watch mesh/policy: the system limit on watched directories is reached (fs.inotify.max_user_watches on Linux); changes there are not seen\n`);
    }
    writeFileSync(join(cwd, 'mesh', 'apps', 'a.yaml'), 'apiVersion: v1\n');
    await until(() => runs === 2, 'the run after a change in a watched directory');
  } finally {
    process.emit('SIGINT');
  }
  assert.is(await done, 0);
});

test.run();
