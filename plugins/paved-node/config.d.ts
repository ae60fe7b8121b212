export interface Config {
  paved?: {
    /** Who may do what in Paved (the shipped permission policy and every Paved action). */
    permissions?: {
      /** Groups whose members (direct and through child groups), and users, may do everything. Entity refs. */
      platformAdmins?: string[];
      /** `everyone` (default) reads the whole catalog; `owners` limits Components, APIs and Resources to their owners. */
      catalogRead?: 'everyone' | 'owners';
      /** Backstage's Kubernetes proxy (it can write to clusters): `admins` (default) or `nobody`. */
      kubernetesProxy?: 'admins' | 'nobody';
      /** How long a user's resolved group memberships are reused, in seconds; default 60. */
      membershipCacheSeconds?: number;
    };
    /** Where cluster state is committed for Argo CD to reconcile (namespaces, applications). */
    gitops?: {
      /** Repository URL as a browser shows it; GitHub when integrations.github has its host, plain git otherwise. */
      repoUrl: string;
      /** Folder inside the repository Paved writes under; default the root. */
      basePath?: string;
      /** `pull-request` (default): one reviewed pull request per change; `commit`: straight onto the base branch. */
      mode?: 'pull-request' | 'commit';
      /** Base branch; the repository's default branch when omitted. */
      baseBranch?: string;
    };
    /** Team namespaces (`paved:namespace:provision`). */
    namespaces?: {
      /** `gitops` (default): a pull request to paved.gitops; `apply`: server-side apply with an EKS IAM token. */
      defaultMode?: 'gitops' | 'apply';
      /** Time budget of one Kubernetes API request in `apply` mode, in milliseconds; default 30000. */
      timeoutMs?: number;
      /** Tiers added to (or replacing) the built-in small, medium and large: ResourceQuota `hard` and container limits. */
      tiers?: {
        [name: string]: {
          quota: { [resource: string]: string | number };
          limits: {
            defaultRequest: { cpu: string; memory: string };
            default: { cpu: string; memory: string };
            max: { cpu: string; memory: string };
          };
        };
      };
      /** Names no team may claim (nor Argo CD deploy into), besides the built-in default, kube-*, openshift-*, argocd, argo-*, paved-*, ingress-nginx, cert-manager, external-dns, external-secrets, karpenter, amazon-cloudwatch, aws-observability, amazon-guardduty, gatekeeper-system, kyverno, istio-system, flux-system: exact, or a prefix ending in `*`. */
      reservedNames?: string[];
      /** Kubernetes group of a team, bound to `edit`: `{name}`/`{namespace}` of its Group entity. Default `paved:team:{name}`. */
      teamGroupPattern?: string;
      /** Kubernetes groups bound to `view` in every team namespace. */
      viewerGroups?: string[];
      /** Namespaces whose pods may reach team namespaces (ingress controllers). Default ingress-nginx. */
      ingressNamespaces?: string[];
      /**
       * Addresses that may reach team namespaces besides those namespaces: the subnets of your load balancers, since an
       * ALB with IP targets (the golden path's Ingress) sends traffic and health checks from there. Default none.
       */
      ingressCidrs?: string[];
    };
    /** Argo CD (`paved:argocd:register`, runtime health). */
    argocd?: {
      /** Instance used when a template names none; default the first. */
      defaultInstance?: string;
      instances?: Array<{
        name: string;
        /** API base URL, e.g. https://argocd.example.com */
        url: string;
        /** UI base URL, when it differs from url. */
        uiUrl?: string;
        /** Namespace Applications and AppProjects live in; default argocd. */
        namespace?: string;
        /** Per-request timeout in milliseconds; default 10000. */
        timeoutMs?: number;
        /**
         * Account or project token. Either this or username and password; there are no default credentials.
         * @visibility secret
         */
        token?: string;
        /** Local user for a session login (the session token is cached). */
        username?: string;
        /** @visibility secret */
        password?: string;
      }>;
      /** Sync policy of new Applications unless the template says otherwise; default automated, no prune, no self-heal. */
      syncPolicy?: { automated?: boolean; prune?: boolean; selfHeal?: boolean };
      /**
       * Namespaces outside Paved's ownership (not provisioned by paved:namespace:provision) that any team may deploy
       * into. Every other destination must be a namespace its owner owns; reserved names never are.
       */
      sharedNamespaces?: string[];
    };
    /** New Relic NerdGraph, for runtime health. Without it, New Relic reads as "not configured". */
    newrelic?: {
      /** US (default) or EU datacenter. */
      region?: 'US' | 'EU';
      /** NerdGraph endpoint override, for the Paved sandbox in development only. */
      endpoint?: string;
      accountId: number;
      /**
       * A user API key (NRAK-…) that can read the account.
       * @visibility secret
       */
      apiKey: string;
      /** Per-request timeout in milliseconds; default 5000. */
      timeoutMs?: number;
    };
    /** Author of commits made through plain git remotes (GitHub commits are the token's or app's). */
    git?: {
      author?: { name: string; email: string };
      /** Time budget of one GitHub API request in milliseconds (each retry gets its own); default 30000. */
      timeoutMs?: number;
      /** Time limit of each git subprocess (clone, ls-remote, archive, merge) in milliseconds; default 60000. */
      commandTimeoutMs?: number;
    };
    eks?: {
      /**
       * EKS API endpoint override, for the Paved sandbox in development only. Production talks to AWS
       * (https://eks.<region>.amazonaws.com) with credentials from the default credential chain.
       */
      endpoint?: string;
      /** Clusters Paved provisions into (namespaces, Argo CD destinations), by name. */
      clusters?: Array<{
        /** Cluster name as EKS knows it. */
        name: string;
        region: string;
        /** AWS account id that owns the cluster. */
        accountId?: string;
        /** Role to assume for this cluster's account; otherwise the default credential chain's identity is used. */
        roleArn?: string;
        /**
         * External id required by the role's trust policy.
         * @visibility secret
         */
        externalId?: string;
        /** Environment the cluster serves (dev, staging, prod), for templates that pick clusters by environment. */
        environment?: string;
        /**
         * Link to the cluster's dashboard (Headlamp, Grafana, …) that the Runtime tab offers; defaults to the
         * cluster's page in the EKS console.
         */
        dashboardUrl?: string;
      }>;
    };
    /** Template sync (`paved:template:fetch`, `paved:template:update`, the template-sync backend). */
    templateSync?: {
      /**
       * Template sources Paved may fetch: exact sources or prefixes (`https://github.com/acme/templates` allows that
       * repository and its `//folders`; `https://github.com/acme` every acme repository). Nothing else is fetched.
       */
      allowedSources?: string[];
      /**
       * Limits of the render process. Every render runs in a separate Node.js process with an empty environment, read
       * access to the checked-out template only, no writes, subprocesses or network.
       */
      render?: {
        /** A render taking longer is stopped (InputError); default 60000. */
        timeoutMs?: number;
        /** Heap limit of the render process in MiB; a render needing more is stopped (InputError); default 512. */
        maxMemoryMb?: number;
      };
      /** Treat pre-release tags as the latest version; default false. */
      prereleases?: boolean;
      /**
       * Template sources by name, for `paved:template:fetch`'s `template:` input: the same Template entity renders
       * from the sandbox in development and from the organisation's repository in production.
       */
      templates?: { [name: string]: { source: string } };
      pullRequest?: {
        /** Labels every template-sync pull request carries; default [template-sync]. */
        labels?: string[];
        /** Label while the update has conflicts; default template-sync:conflicts. */
        conflictLabel?: string;
        /** Open conflicted pull requests as drafts, and mark them ready once clean; default true. */
        draftOnConflict?: boolean;
        /** Head branch prefix, followed by the answers file's path; default paved/template-sync/. */
        branchPrefix?: string;
      };
    };
  };
}
