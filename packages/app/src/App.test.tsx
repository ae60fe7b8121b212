import { screen } from '@testing-library/react';
import { renderApp } from './__testUtils__/renderApp';

describe('App in development', () => {
  it('offers guest sign-in when paved.signIn lists guest', async () => {
    renderApp({ paved: { signIn: { providers: ['guest'] } } });

    expect(
      await screen.findByRole('button', { name: 'Enter' }, { timeout: 10_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Paved')).toBeInTheDocument();
    expect(screen.queryByText('GitHub')).not.toBeInTheDocument();
  }, 20_000);
});
