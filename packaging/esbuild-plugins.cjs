// @ts-check
/**
 * esbuild plugins for serverless-esbuild (`custom.esbuild.plugins` in serverless.yml).
 *
 * `esm-package-json` writes `{"type":"module"}` beside each bundle, so Lambda (and `serverless
 * invoke local`) load the `.js` bundles as ES modules. serverless-esbuild leaves the root
 * package.json out of the zip, so the marker goes next to the bundle (functions/package.json).
 *
 * `chunks-per-function` names each function's code-splitting chunks after the function
 * (`functions/scheduled.chunk-XXXX.js`), so each zip carries its own chunks and no other's.
 */
'use strict';

const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, extname, join } = require('node:path');

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

/**
 * serverless-esbuild builds each function on its own, all into the same folder (`functions/`), and
 * zips for each function every file there except the other functions' bundles and the files named
 * like them (`worker.js` keeps `worker.js.map` out of scheduled.zip: serverless-esbuild
 * `dist/pack.js`, `filterFilesForZipPackage`). With `splitting`, chunks named `chunk-XXXX.js`
 * would go into every zip; prefixed with the function's bundle name (`scheduled.chunk-XXXX.js`)
 * they go into that function's zip only. esbuild lets a plugin set build options in `setup`
 * (https://esbuild.github.io/plugins/#build-options).
 *
 * @type {import('esbuild').Plugin}
 */
const chunksPerFunction = {
  name: 'chunks-per-function',
  setup(build) {
    const options = build.initialOptions;
    const entries = Array.isArray(options.entryPoints) ? options.entryPoints : [];
    const entry = entries.length === 1 ? entries[0] : undefined;
    if (!options.splitting || typeof entry !== 'string') return;
    const name = basename(entry, extname(entry));
    options.chunkNames = `${name}.${options.chunkNames ?? '[name]-[hash]'}`;
  },
};

module.exports = [esmPackageJson, chunksPerFunction];
