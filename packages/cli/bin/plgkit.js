#!/usr/bin/env node
// Committed, not built: package managers link a bin at install time, before `pnpm build` has made dist/.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
