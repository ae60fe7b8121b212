import { Link } from '@backstage/ui';
import type { ComponentProps } from 'react';

/** A link out of the portal (Argo CD, New Relic, a cluster dashboard): a new tab, no opener, no referrer. */
export function ExternalLink(
  props: Omit<ComponentProps<typeof Link>, 'target' | 'rel'>,
) {
  return <Link {...props} target="_blank" rel="noopener noreferrer" />;
}
