// @ts-check
/**
 * esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml).
 *
 * `esm-package-json` writes `{"type":"module"}` beside each bundle, so Lambda (and `serverless
 * invoke local`) load the `.js` bundles as ES modules. serverless-esbuild leaves the root
 * package.json out of the zip, so the marker goes next to the bundle (functions/package.json).
 */
'use strict';

const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

/** @type {import('esbuild').Plugin} */
const esmPackageJson = {
  name: 'esm-package-json',
  setup(build) {
    build.onEnd((result) => {
      const outdir = build.initialOptions.outdir;
      if (result.errors.length > 0 || outdir === undefined) return;
      mkdirSync(outdir, { recursive: true });
      writeFileSync(join(outdir, 'package.json'), '{ "type": "module" }\n');
    });
  },
};

module.exports = [esmPackageJson];
