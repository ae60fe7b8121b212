#!/usr/bin/env node
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTs } from '../lib/runTs.mjs';

runTs(path.join(path.dirname(fileURLToPath(import.meta.url)), 'bench.ts'));
