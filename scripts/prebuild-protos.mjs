// Builds the Envoy API descriptor bundle (src/envoy/protos/generated/envoy-api.json,
// git-ignored): the protobufjs JSON descriptor of every loadable Envoy proto plus
// their protoc-gen-validate annotations in structured form. `meshc compile` and
// `meshc serve` load it about twice as fast as the .proto text; without it (or
// when it was built for other package versions) they load the .proto files.
// The TypeScript entry is bundled with esbuild first, since this runs under plain node.
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, 'src/envoy/protos/generated');
mkdirSync(outDir, { recursive: true });
const entry = join(outDir, `.build-bundle-${process.pid}.mjs`);
try {
  await build({
    entryPoints: [join(root, 'src/envoy/protos/build-bundle.ts')],
    outfile: entry,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  const { writeProtoBundle } = await import(pathToFileURL(entry).href);
  const result = writeProtoBundle();
  if (process.env.MESHC_VERBOSE_BUILD) console.log(`envoy protos: ${result.files} files, ${result.bytes} bytes${result.written ? '' : ' (unchanged)'}`);
} finally {
  rmSync(entry, { force: true });
}
