import { screen } from '@testing-library/react';
import { renderApp } from './__testUtils__/renderApp';

describe('App in production', () => {
  it('offers GitHub sign-in and no guest access when paved.signIn lists github', async () => {
    renderApp({ paved: { signIn: { providers: ['github'] } } });

    expect(
      await screen.findByText('GitHub', undefined, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Enter' }),
    ).not.toBeInTheDocument();
  }, 20_000);
});
