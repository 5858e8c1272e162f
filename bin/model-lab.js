#!/usr/bin/env node
// `npx model-lab`: runs the bundled CLI (build it first with `npm run build`).
require('../dist/cli.js');
