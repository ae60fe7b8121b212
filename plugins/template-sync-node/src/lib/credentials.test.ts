import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { defaultSeed, startSandbox, type Sandbox } from '@paved/sandbox';
import { copyTemplate } from './copy';
import { checkInstance } from './check';
import { TemplateError } from '../errors';
import {
  read,
  release,
  sh,
  tempDir,
  templateRepo,
} from '../__testUtils__/repos';

// A template in a private repository on the sandbox's GitHub, which (like GitHub) refuses git without a token.
describe('templates in repositories that need credentials', () => {
  let sandbox: Sandbox;
  let src: string;
  const token = Object.keys(defaultSeed.github.tokens)[0];
  const basic = `Basic ${Buffer.from(`x-access-token:${token}`).toString(
    'base64',
  )}`;
  const credentials = jest.fn(async (_url: string) => ({
    Authorization: basic,
  }));
  const work = tempDir();

  beforeAll(async () => {
    sandbox = await startSandbox({
      seed: {
        ...defaultSeed,
        github: {
          ...defaultSeed.github,
          repos: [
            ...defaultSeed.github.repos,
            {
              name: 'private-template',
              files: [{ path: 'README.md', content: 'placeholder\n' }],
            },
          ],
        },
      },
    });
    src = `${sandbox.url}/${defaultSeed.github.org}/private-template.git`;
    const local = templateRepo(`${work}/template`, [
      {
        tag: 'v1.0.0',
        files: {
          'copier.yml': 'name:\n  type: str\n',
          'README.md.jinja': '# {{ name }} v1\n',
        },
      },
    ]);
    release(local, 'v1.1.0', { 'README.md.jinja': '# {{ name }} v1.1\n' });
    // Asynchronously: the sandbox answers from this process, so a synchronous git would wait on it forever.
    await promisify(execFile)(
      'git',
      [
        '-c',
        `http.extraHeader=Authorization: ${basic}`,
        'push',
        '-q',
        '--force',
        src,
        'main',
        '--tags',
      ],
      { cwd: local },
    );
  });
  afterAll(() => sandbox?.close());

  it('renders with the headers the credentials hook gives for the repository', async () => {
    const dst = `${work}/with-token`;
    const result = await copyTemplate({
      src,
      dst,
      data: { name: 'orders-api' },
      credentials,
    });
    expect(result.version).toBe('v1.1.0');
    expect(read(dst, 'README.md')).toBe('# orders-api v1.1\n');
    // Asked once for the source, with the repository's URL.
    expect(credentials).toHaveBeenCalledTimes(1);
    expect(credentials).toHaveBeenCalledWith(src);
  });

  it('checks an instance for drift with the same credentials', async () => {
    const dst = `${work}/checked`;
    await copyTemplate({
      src,
      dst,
      vcsRef: 'v1.0.0',
      data: { name: 'orders-api' },
      credentials,
    });
    sh(dst, 'init', '-q', '-b', 'main');
    await expect(checkInstance({ dst, credentials })).resolves.toMatchObject({
      current: 'v1.0.0',
      latest: 'v1.1.0',
      behind: true,
    });
  });

  it('fails with NOT_FOUND, and no secret in the message, without them', async () => {
    const error = await copyTemplate({
      src,
      dst: `${work}/without`,
      data: { name: 'orders-api' },
    }).catch(e => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('is not a readable Git repository');

    const wrong = await copyTemplate({
      src,
      dst: `${work}/wrong`,
      data: { name: 'orders-api' },
      credentials: async () => ({
        Authorization: `Basic ${Buffer.from('x:not-a-token').toString(
          'base64',
        )}`,
      }),
    }).catch(e => e);
    expect(wrong.code).toBe('NOT_FOUND');
    expect(wrong.message).not.toContain('Basic');
    expect(wrong.message).not.toContain(token);
  });
});
