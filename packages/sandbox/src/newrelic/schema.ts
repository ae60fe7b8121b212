import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { buildClientSchema, type GraphQLSchema } from 'graphql';

let published: GraphQLSchema | undefined;

/**
 * NerdGraph's real schema as New Relic's own Go client records it (data/newrelic/nerdgraph.json.gz, from
 * scripts/nerdgraph-schema.mjs): the stand-in validates every document against it and executes over it (what it
 * does not resolve is null, as for any field NerdGraph has and the sandbox does not serve). Loaded on the first request.
 */
export function nerdGraphSchema(): GraphQLSchema {
  if (!published) {
    const recorded = JSON.parse(
      zlib
        .gunzipSync(
          fs.readFileSync(
            path.join(
              path.dirname(require.resolve('@paved/sandbox/package.json')),
              'data/newrelic/nerdgraph.json.gz',
            ),
          ),
        )
        .toString('utf8'),
    );
    published = buildClientSchema({ __schema: recorded.schema });
  }
  return published;
}
