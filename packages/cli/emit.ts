// Build step: publishes the JSON Schema of `plgkit new-overlay`'s options as schema/options.schema.json.
import { toJson, writeEmitted } from '@plgkit/core';
import { overlayOptionsSchema } from './dist/index.js';

writeEmitted(
  import.meta.dirname,
  new Map([['schema/options.schema.json', toJson(overlayOptionsSchema)]]),
);
