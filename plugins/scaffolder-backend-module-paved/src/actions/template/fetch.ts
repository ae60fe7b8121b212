import fs from 'node:fs/promises';
import path from 'node:path';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  ANNOTATION_ANSWERS_FILE,
  ANNOTATION_TEMPLATE_SOURCE,
  ANNOTATION_TEMPLATE_VERSION,
  PAVED_ACTION_IDS,
} from '@paved/plugin-paved-common';
import {
  type OwnershipService,
  type TemplateSync,
  writeProvenance,
} from '@paved/plugin-paved-node';
import { assertCallerMayActForAnswers } from '../shared/caller';
import { examples } from './fetch.examples';
import { fetchInput, fetchOutput, parseFetchInput, sourceFrom } from './input';

function safeChild(base: string, rel: string, what: string): string {
  try {
    return resolveSafeChildPath(base, rel);
  } catch {
    throw new InputError(`${what} ${rel} is outside the workspace`);
  }
}

/**
 * `paved:template:fetch`: renders an allowed template source at its newest (or a given) version with the form's
 * answers into the workspace, writes the answers file, and records the provenance on catalog-info.yaml. Workspace
 * only: nothing outside it is written, so dry runs render too.
 * @public
 */
export function createTemplateFetchAction(options: {
  templates: TemplateSync;
  ownership: OwnershipService;
}) {
  const { templates, ownership } = options;
  return createTemplateAction({
    id: PAVED_ACTION_IDS.templateFetch,
    description:
      'Renders a versioned template source (copier format) with the given answers into the workspace and writes its answers file, so template sync can update the result later',
    examples,
    supportsDryRun: true,
    schema: { input: fetchInput, output: fetchOutput },
    async handler(ctx) {
      const input = parseFetchInput(ctx.input);
      // The answers' owner becomes the new entity's spec.owner, and ownership is what every permission follows.
      await assertCallerMayActForAnswers(
        ctx,
        ownership,
        input.values,
        owner => `create a service for ${owner}`,
      );
      const source = sourceFrom(
        input,
        templates,
        PAVED_ACTION_IDS.templateFetch,
      );
      const targetPath = input.targetPath ?? '.';
      const targetDir = safeChild(ctx.workspacePath, targetPath, 'targetPath');
      const rootDir = safeChild(
        ctx.workspacePath,
        input.repositoryRoot ?? '.',
        'repositoryRoot',
      );
      const fromRoot = path.relative(rootDir, targetDir);
      if (fromRoot.startsWith('..') || path.isAbsolute(fromRoot)) {
        throw new InputError(
          `targetPath ${targetPath} is not inside repositoryRoot ${input.repositoryRoot}`,
        );
      }
      const result = await templates.render({
        source,
        version: input.version,
        values: input.values,
        targetDir,
        answersFile: input.answersFile,
        overwrite: input.overwrite,
      });
      const answersFile = path.posix.join(
        fromRoot.split(path.sep).join('/') || '.',
        result.answersFile,
      );
      const provenance = {
        source: result.srcPath,
        version: result.version,
        answersFile,
      };

      const catalogInfo = input.catalogInfoPath ?? 'catalog-info.yaml';
      const catalogFile = safeChild(targetDir, catalogInfo, 'catalogInfoPath');
      const exists = await fs
        .stat(catalogFile)
        .then(s => s.isFile())
        .catch(() => false);
      if (!exists && input.catalogInfoPath) {
        throw new InputError(
          `catalogInfoPath ${input.catalogInfoPath} was not rendered by the template; the annotations need a catalog-info file`,
        );
      }
      if (exists) await writeProvenance(catalogFile, provenance, 'set');

      ctx.output('version', result.version);
      ctx.output('commit', result.commit);
      ctx.output('answersFile', answersFile);
      ctx.output('targetPath', targetPath);
      ctx.output('files', result.written);
      ctx.output('annotations', {
        [ANNOTATION_TEMPLATE_SOURCE]: provenance.source,
        [ANNOTATION_TEMPLATE_VERSION]: provenance.version,
        [ANNOTATION_ANSWERS_FILE]: provenance.answersFile,
      });
      for (const warning of result.warnings) ctx.logger.warn(warning);
      ctx.logger.info(
        `Rendered ${result.srcPath} ${result.version} into ${targetPath}: ${result.written.length} file(s), answers in ${answersFile}`,
      );
    },
  });
}
