// The CLI and the integrations reach the launcher only through the management API: the layer check refuses a CLI
// or integration file that imports what lies under it (manage/, start/, state/…), even a type.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, scratchDir } from '../helpers/env.js';

// A copy of src/ and the layer check (typescript found through a node_modules link), to plant files in.
function copyTree(dir: string): void {
  cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
  mkdirSync(join(dir, 'scripts'));
  cpSync(join(ROOT, 'scripts', 'check-layers.mjs'), join(dir, 'scripts', 'check-layers.mjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
}

// Run the copied layer check: its exit code and output.
function checkLayers(dir: string): { code: number | null; out: string } {
  const run = spawnSync(process.execPath, [join(dir, 'scripts', 'check-layers.mjs')], { encoding: 'utf8' });
  return { code: run.status, out: run.stdout + run.stderr };
}

test('the layer check refuses a CLI or integration import that bypasses the API', (t) => {
  const dir = scratchDir(t, 'layers-');
  copyTree(dir);
  assert.equal(checkLayers(dir).code, 0, 'the tree as it is passes');
  const planted = {
    'src/cli/commands/sneak.ts':
      "import { listInstances } from '../../manage/inventory.js';\nvoid listInstances;\n",
    'src/cli/sneak-type.ts': "import type { Spec } from '../state/records/spec.js';\nexport type S = Spec;\n",
    'src/integrations/sneak.ts':
      "import { openInstanceDatabases } from '../start/databases/by-id.js';\nvoid openInstanceDatabases;\n",
    'src/cli/fine.ts': "import { listInstances } from '../api/instances.js';\nvoid listInstances;\n",
  };
  for (const [file, text] of Object.entries(planted)) writeFileSync(join(dir, file), text);
  const { code, out } = checkLayers(dir);
  assert.equal(code, 1, out);
  assert.match(out, /src\/cli\/commands\/sneak\.ts -> src\/manage\/inventory\.ts: cli may not import manage/);
  assert.match(
    out,
    /src\/cli\/sneak-type\.ts -> src\/state\/records\/spec\.ts: cli may not import state\/records/,
  );
  assert.match(
    out,
    /src\/integrations\/sneak\.ts -> src\/start\/databases\/by-id\.ts: integrations may not import start/,
  );
  assert.doesNotMatch(out, /fine\.ts/, 'the API is the way in');
  assert.match(out, /check-layers: 3 violation\(s\)/);
});
