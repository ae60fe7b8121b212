import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PlainGitProvider } from './PlainGitProvider';

describe('PlainGitProvider', () => {
  it('kills a git command that gets no answer within the time limit, and says so without the credentials', async () => {
    // A remote that accepts the connection and never answers, as a stalled git host does.
    const held: http.ServerResponse[] = [];
    const server = http.createServer((_req, res) => held.push(res));
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const git = new PlainGitProvider({ commandTimeoutMs: 500 });
      const error = await git
        .readFile(
          `http://user:s3cret@127.0.0.1:${port}/acme/gitops.git`,
          'README.md',
        )
        .catch(e => e);
      expect(error.message).toBe(
        `Cannot read http://***@127.0.0.1:${port}/acme/gitops.git: git ls-remote: no answer within 500 ms (paved.git.commandTimeoutMs)`,
      );
    } finally {
      held.forEach(res => res.destroy());
      server.close();
    }
  });

  it('has no pull requests to list', async () => {
    await expect(
      new PlainGitProvider().listOpenPullRequests(),
    ).resolves.toEqual([]);
    await expect(
      new PlainGitProvider().listPullRequestFiles('file:///srv/gitops.git'),
    ).rejects.toThrow(
      'file:///srv/gitops.git is a plain git remote: git has no pull requests',
    );
  });
});
