import {
  ApiBlueprint,
  type BackstageIdentityApi,
  type BackstageIdentityResponse,
  createApiRef,
  type DiscoveryApi,
  discoveryApiRef,
  type ProfileInfo,
  type ProfileInfoApi,
  type SessionApi,
  SessionState,
} from '@backstage/frontend-plugin-api';

/** The platform admin of the example catalog; the backend's `auth.providers.paved-dev.users` must list it. */
export const DEV_ADMIN_USER = 'platform-admin';
const STORAGE_KEY = '@paved/dev-sign-in';

/** Development sign-in as a configured catalog User (`/api/auth/paved-dev/refresh?user=…`). */
export const pavedDevAuthApiRef = createApiRef<
  ProfileInfoApi & BackstageIdentityApi & SessionApi
>({ id: 'paved.auth.dev' });

/**
 * Signs in through the backend's `paved-dev` provider, which refuses outside development and signs in as the catalog
 * User with the memberships the catalog records. Remembers the choice in local storage, as guest sign-in does, so a
 * reload keeps the session.
 */
export class PavedDevAuth
  implements ProfileInfoApi, BackstageIdentityApi, SessionApi
{
  private session?: Promise<{
    identity: BackstageIdentityResponse;
    profile: ProfileInfo;
  }>;

  constructor(
    private readonly discovery: DiscoveryApi,
    private readonly user: string,
    private readonly storage: Pick<
      Storage,
      'getItem' | 'setItem' | 'removeItem'
    > = window.localStorage,
  ) {}

  private async refresh() {
    const base = await this.discovery.getBaseUrl('auth');
    const response = await fetch(
      `${base}/paved-dev/refresh?user=${encodeURIComponent(this.user)}`,
      {
        credentials: 'include',
        headers: { 'x-requested-with': 'XMLHttpRequest' },
      },
    );
    if (!response.ok) {
      const body = await response.json().catch(() => undefined);
      throw new Error(
        body?.error?.message ??
          `Development sign-in failed with HTTP ${response.status}`,
      );
    }
    const body = await response.json();
    const { token, identity, expiresInSeconds } = body.backstageIdentity;
    return {
      identity: {
        token,
        identity,
        expiresAt: new Date(Date.now() + (expiresInSeconds ?? 3600) * 1000),
      },
      profile: (body.profile ?? {}) as ProfileInfo,
    };
  }

  private async current(options: { optional?: boolean } = {}) {
    if (options.optional && this.storage.getItem(STORAGE_KEY) !== this.user) {
      return undefined;
    }
    const cached = this.session && (await this.session.catch(() => undefined));
    // A token is refreshed a minute before it expires.
    if (
      !cached ||
      (cached.identity.expiresAt?.getTime() ?? 0) < Date.now() + 60_000
    ) {
      this.session = this.refresh();
    }
    const session = await this.session;
    this.storage.setItem(STORAGE_KEY, this.user);
    return session;
  }

  async getBackstageIdentity(options: { optional?: boolean } = {}) {
    return (await this.current(options))?.identity;
  }

  async getProfile(options: { optional?: boolean } = {}) {
    return (await this.current(options))?.profile;
  }

  async signIn() {
    await this.current();
  }

  async signOut() {
    this.storage.removeItem(STORAGE_KEY);
    this.session = undefined;
  }

  sessionState$() {
    const state =
      this.storage.getItem(STORAGE_KEY) === this.user
        ? SessionState.SignedIn
        : SessionState.SignedOut;
    const subscription = { closed: true, unsubscribe() {} };
    const observable = {
      subscribe(observer: any) {
        const next = typeof observer === 'function' ? observer : observer?.next;
        next?.(state);
        return subscription;
      },
      [Symbol.observable]() {
        return observable;
      },
    };
    return observable as unknown as ReturnType<SessionApi['sessionState$']>;
  }
}

/** The development sign-in API, for the `platform-admin` sign-in method of `paved.signIn.providers`. */
export const pavedDevAuthApi = ApiBlueprint.make({
  name: 'paved-dev-auth',
  params: defineParams =>
    defineParams({
      api: pavedDevAuthApiRef,
      deps: { discoveryApi: discoveryApiRef },
      factory: ({ discoveryApi }) =>
        new PavedDevAuth(discoveryApi, DEV_ADMIN_USER),
    }),
});
