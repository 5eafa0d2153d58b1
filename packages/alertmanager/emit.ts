// Build step: writes base/ and schema/ from the generator's defaults (see @plgkit/core emitPackage).
import { emitPackage } from '@plgkit/core';
import { alertmanagerOutput } from './dist/index.js';

emitPackage(import.meta.dirname, alertmanagerOutput);
