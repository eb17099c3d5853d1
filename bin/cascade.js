#!/usr/bin/env node
// The command line. An installed package runs the compiled JavaScript in dist/; a source checkout (where
// cli/main.ts is) runs the sources through tsx, a development dependency, so no build step is needed there.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

if (existsSync(join(__dirname, '..', 'cli', 'main.ts'))) {
  require('tsx/cjs');
  require('../cli/main.ts');
} else {
  require('../dist/cli/main.js');
}
