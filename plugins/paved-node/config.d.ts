export interface Config {
  paved?: {
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
      }>;
    };
  };
}
