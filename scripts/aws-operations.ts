// Regenerate docs/aws-operations.md from the inventory's declarations (src/inventory/operations.ts).
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderOperationsDoc } from '../src/inventory/operations.js';

writeFileSync(resolve(import.meta.dirname, '..', 'docs', 'aws-operations.md'), renderOperationsDoc());
