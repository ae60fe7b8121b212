/*
 * The Paved backend: Backstage's core plugins plus Paved's. This file only lists features;
 * every plugin reads its own configuration (see app-config.yaml and each plugin's config.d.ts).
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
// Retry resumes from the failed step with the workspace restored (scaffolder.taskRecovery in app-config.yaml).
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-workspace-database'),
);
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);
// Paved: paved:preflight, paved:template:fetch|update|adopt, paved:namespace:provision, paved:argocd:register,
// paved:catalog:register
backend.add(import('@paved/plugin-scaffolder-backend-module-paved'));

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// Production sign-in: an OpenID Provider (auth.providers.oidc) and GitHub (auth.providers.github).
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
// See https://backstage.io/docs/auth/guest/provider
// Paved: development sign-in as a platform admin next to guest (auth.providers.paved-dev; development only)
backend.add(import('@paved/plugin-auth-backend-module-paved-dev'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// Paved: annotation validation and enrichment; EKS clusters as Resources (catalog.providers.pavedEks)
backend.add(import('@paved/plugin-catalog-backend-module-paved'));

// Paved: one runtime-health verdict per entity from EKS workloads, Argo CD and New Relic
backend.add(import('@paved/plugin-runtime-health-backend'));

// Paved: fleet template sync (scheduled, one pull request per instance; paved.templateSync)
backend.add(import('@paved/plugin-template-sync-backend'));

// permission plugin
backend.add(import('@backstage/plugin-permission-backend'));
// Paved's policy: owners read and sync their own entities, platform admins everything, Paved actions only for the
// owner's members, the Kubernetes proxy for admins (paved.permissions; plugins/permission-backend-module-paved)
backend.add(import('@paved/plugin-permission-backend-module-paved'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// kubernetes plugin
backend.add(import('@backstage/plugin-kubernetes-backend'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
// The events bus the catalog and signals publish to: with two or more replicas it carries events between them
// (through the database), so a signal reaches the browser whichever replica it is connected to.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));
backend.start();
