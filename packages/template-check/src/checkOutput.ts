import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyTemplate } from '@paved/plugin-template-sync-node';
import { checkCatalogInfo } from './checks/catalogInfo';
import { listFiles } from './checks/files';
import { checkHelmValues } from './checks/helmValues';
import { checkKubernetes } from './checks/kubernetes';
import { checkNpmTest, checkPackage } from './checks/npmTest';
import { checkPlatformRefs, type PlatformSource } from './checks/platformRefs';
import { checkReleasePlease } from './checks/releasePlease';
import { checkSyntax } from './checks/syntax';
import { checkTerraform } from './checks/terraform';
import type { CheckResult } from './checks/types';
import { checkWorkflows } from './checks/workflows';

/** @public */
export interface CheckOutputOptions {
  /** Template source (Git URL, path, `repo//folder`). */
  src: string;
  vcsRef?: string;
  data?: Record<string, unknown>;
  /** Render here and keep it; default a temporary folder, removed afterwards. */
  dst?: string;
  /** Skip the generated service's `npm install && npm test`. */
  skipNpmTest?: boolean;
  /** The platform repositories generated files call; every reference to one of them must resolve. */
  platforms?: PlatformSource[];
}

/** @public */
export interface CheckOutputReport {
  version: string;
  files: string[];
  results: CheckResult[];
  ok: boolean;
}

/** Validates a rendered folder, file kind by file kind. @public */
export async function checkRendered(
  dir: string,
  options: { skipNpmTest?: boolean; platforms?: PlatformSource[] } = {},
): Promise<CheckResult[]> {
  const files = await listFiles(dir);
  const results = await Promise.all([
    checkSyntax(dir, files),
    checkCatalogInfo(dir, files),
    checkWorkflows(dir, files),
    checkHelmValues(dir, files),
    checkKubernetes(dir, files),
    checkTerraform(dir, files),
    checkReleasePlease(dir, files),
    checkPackage(dir, files),
    checkPlatformRefs(dir, files, options.platforms ?? []),
  ]);
  if (!options.skipNpmTest) results.push(await checkNpmTest(dir, files));
  return results;
}

/** Renders a template with sample answers and validates everything it wrote. @public */
export async function checkOutput(
  options: CheckOutputOptions,
): Promise<CheckOutputReport> {
  const dst =
    options.dst ?? (await fs.mkdtemp(path.join(os.tmpdir(), 'paved-check-')));
  try {
    const rendered = await copyTemplate({
      src: options.src,
      dst,
      vcsRef: options.vcsRef,
      data: options.data,
      defaults: true,
      // A misspelt variable renders as empty text in copier's default mode: here it is an error.
      strictUndefined: true,
    });
    const results = await checkRendered(dst, options);
    return {
      version: rendered.version,
      files: rendered.written,
      results,
      ok: results.every(r => r.problems.length === 0),
    };
  } finally {
    if (!options.dst) await fs.rm(dst, { recursive: true, force: true });
  }
}
