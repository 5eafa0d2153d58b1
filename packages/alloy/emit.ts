// Build step: writes base/, components/ and schema/ from the generator's defaults (see @plgkit/core emitPackage).
import { emitPackage } from '@plgkit/core';
import { alloy } from './dist/index.js';

emitPackage(import.meta.dirname, alloy.output);
