/**
 * Isomorphic pieces every Paved package shares: annotation names, action ids, the answers-file schema, template
 * provenance, runtime-health API types and permission definitions.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './actions';
export * from './answers';
export * from './provenance';
export * from './kubernetesNames';
export * from './health';
export * from './permissions';
export * from './templateSync';
export * from './format';
