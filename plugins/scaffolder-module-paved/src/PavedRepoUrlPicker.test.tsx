import { ConfigReader } from '@backstage/config';
import { renderInTestApp } from '@backstage/frontend-test-utils';
import {
  scmAuthApiRef,
  ScmIntegrationsApi,
  scmIntegrationsApiRef,
} from '@backstage/integration-react';
import {
  scaffolderApiRef,
  SecretsContextProvider,
} from '@backstage/plugin-scaffolder-react';
import { screen, waitFor } from '@testing-library/react';
import { PavedRepoUrlPicker, repositoryDefaults } from './PavedRepoUrlPicker';

describe('repositoryDefaults', () => {
  const hosts = { allowedHosts: ['github.com', '127.0.0.1:7440'] };

  it('puts the configured host first and fills the configured organisation into an empty value', () => {
    expect(
      repositoryDefaults(
        hosts,
        { host: '127.0.0.1:7440', owner: 'paved-demo' },
        undefined,
      ),
    ).toEqual({
      options: { allowedHosts: ['127.0.0.1:7440', 'github.com'] },
      formData: '127.0.0.1:7440?owner=paved-demo',
    });
  });

  it('never widens the template: a host it does not allow, or an owner outside allowedOwners, is not used', () => {
    expect(
      repositoryDefaults(hosts, { host: 'evil.example', owner: 'acme' }, ''),
    ).toEqual({ options: hosts, formData: 'github.com?owner=acme' });
    expect(
      repositoryDefaults(
        { ...hosts, allowedOwners: ['acme'] },
        { owner: 'other' },
        undefined,
      ).formData,
    ).toBe('github.com');
  });

  it('keeps what the user (or a resumed form) already chose', () => {
    expect(
      repositoryDefaults(
        hosts,
        { host: '127.0.0.1:7440', owner: 'paved-demo' },
        'github.com?owner=acme&repo=orders',
      ).formData,
    ).toBe('github.com?owner=acme&repo=orders');
  });
});

describe('PavedRepoUrlPicker', () => {
  const integrations = ScmIntegrationsApi.fromConfig(
    new ConfigReader({
      integrations: {
        github: [
          { host: 'github.com' },
          {
            host: '127.0.0.1:7440',
            apiBaseUrl: 'http://127.0.0.1:7440/api/v3',
          },
        ],
      },
    }),
  );
  const scaffolderApi = {
    getIntegrationsList: async ({
      allowedHosts,
    }: {
      allowedHosts: string[];
    }) => ({
      integrations: integrations.github
        .list()
        .filter(i => allowedHosts.includes(i.config.host))
        .map(i => ({
          type: 'github',
          host: i.config.host,
          title: i.config.host,
        })),
    }),
  };

  it("renders Backstage's RepoUrlPicker with the configured host and organisation chosen", async () => {
    const onChange = jest.fn();
    await renderInTestApp(
      <SecretsContextProvider>
        <PavedRepoUrlPicker
          {...({} as any)}
          onChange={onChange}
          rawErrors={[]}
          required
          schema={{ type: 'string', title: 'Repository' }}
          uiSchema={{
            'ui:options': { allowedHosts: ['github.com', '127.0.0.1:7440'] },
          }}
          formData={undefined}
        />
      </SecretsContextProvider>,
      {
        config: {
          paved: {
            scaffolder: {
              repository: { host: '127.0.0.1:7440', owner: 'paved-demo' },
            },
          },
        },
        apis: [
          [scmIntegrationsApiRef, integrations],
          [scmAuthApiRef, { getCredentials: jest.fn() }],
          [scaffolderApiRef, scaffolderApi],
        ],
      },
    );
    await waitFor(() =>
      expect(onChange).toHaveBeenLastCalledWith(
        '127.0.0.1:7440?owner=paved-demo',
      ),
    );
    expect(await screen.findByDisplayValue('paved-demo')).toBeInTheDocument();
    expect(screen.getByTestId('host-select')).toBeInTheDocument();
  });
});
