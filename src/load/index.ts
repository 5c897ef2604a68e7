import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DiagnosticSink } from '../core/diagnostics.ts';
import { SourceSet } from '../source/source-set.ts';
import { fileStart } from '../source/yaml-doc.ts';
import { expandInputs, reason, MANIFEST_EXTENSIONS, type InputFile } from './inputs.ts';
import { decodeText, parseManifestText, type RawDocument } from './parse.ts';

export type { RawDocument } from './parse.ts';
export type { InputFile } from './inputs.ts';

export const DEFAULT_MAX_FILE_SIZE = 16 * 1024 * 1024;

/**
 * A loader for a non-YAML input language (the TypeScript DSL). It gets the
 * file and returns raw documents registered in the same SourceSet.
 */
export interface ExtraLoader {
  extensions: string[];
  load(file: InputFile, sources: SourceSet, sink: DiagnosticSink): Promise<RawDocument[]>;
}

export interface LoadOptions {
  cwd?: string;
  maxFileSize?: number;
  /** Reads standard input when '-' is given. */
  readStdin?: () => Promise<Buffer>;
  /** In-memory files (display name → content), used by the API and tests instead of paths. */
  extraLoaders?: ExtraLoader[];
}

export interface LoadResult {
  sources: SourceSet;
  documents: RawDocument[];
  files: string[];
}

async function readLimited(path: string, limit: number): Promise<Buffer | { size: number }> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > limit) return { size };
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

async function readAllStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Reads and parses every input into raw documents; never throws for bad input. */
export async function loadDocuments(paths: string[], sink: DiagnosticSink, options: LoadOptions = {}): Promise<LoadResult> {
  const cwd = options.cwd ?? process.cwd();
  const limit = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  const extra = options.extraLoaders ?? [];
  const extensions = [...MANIFEST_EXTENSIONS, ...extra.flatMap((l) => l.extensions)];
  const inputs = await expandInputs(paths, sink, { cwd, extensions });
  const sources = new SourceSet();
  const documents: RawDocument[] = [];
  for (const input of inputs) {
    const loader = extra.find((l) => l.extensions.includes(extname(input.path).toLowerCase()));
    if (loader) {
      documents.push(...(await loader.load(input, sources, sink)));
      continue;
    }
    let buf: Buffer;
    try {
      if (input.path === '-') {
        buf = await (options.readStdin ?? readAllStdin)();
        if (buf.length > limit) {
          sink.report('MESH0007', { size: buf.length, limit }, fileStart(input.display));
          continue;
        }
      } else {
        const got = await readLimited(input.path, limit);
        if (!Buffer.isBuffer(got)) {
          sink.report('MESH0007', { size: got.size, limit }, fileStart(input.display));
          continue;
        }
        buf = got;
      }
    } catch (err) {
      sink.report('MESH0002', { path: input.display, reason: reason(err) }, fileStart(input.display));
      continue;
    }
    const text = decodeText(buf, input.display, sink);
    if (text === undefined) continue;
    documents.push(...parseManifestText(text, input.display, sources, sink));
  }
  return { sources, documents, files: inputs.map((i) => i.display) };
}

/** Parses in-memory text (API and tests). */
export function loadText(text: string, file: string, sink: DiagnosticSink, sources = new SourceSet()): LoadResult {
  const documents = parseManifestText(text, file, sources, sink);
  return { sources, documents, files: [file] };
}
