/**
 * Validates what a Paved golden-path template renders: catalog-info with Backstage's validators, workflows with
 * GitHub's parser, Helm values against the chart's schema, Terraform with HCL's parser, Release Please against its
 * schema, and the generated service's own tests.
 *
 * @packageDocumentation
 */
export { checkOutput, checkRendered } from './checkOutput';
export type { CheckOutputOptions, CheckOutputReport } from './checkOutput';
export type { CheckResult, Problem } from './checks/types';
export { readReleasePackages } from './checks/platformRefs';
export { schemaProblems } from './checks/kubernetesSchemas';
export type { PlatformSource, ReleasePackage } from './checks/platformRefs';
export { helm, helmBinary, kubectlBinary } from './tools/helm';
export type { HelmResult } from './tools/helm';
