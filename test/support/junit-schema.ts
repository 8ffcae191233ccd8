// JUnit validation against the in-repository schemas (schemas/junit/): the Jenkins xUnit schema and
// the strict Apache Ant schema. Both must accept every junit.xml the doctor writes.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const DIR = resolve(import.meta.dirname, '../../schemas/junit');
export const JUNIT_SCHEMAS = [resolve(DIR, 'junit-10.xsd'), resolve(DIR, 'junit-ant-strict.xsd')] as const;

/** Throws (with xmllint's message) unless the file is valid against both schemas. */
export function validateJunit(file: string): void {
  for (const schema of JUNIT_SCHEMAS) {
    if (!existsSync(schema)) throw new Error(`JUnit schema missing at ${schema}`);
    try {
      execFileSync('xmllint', ['--noout', '--schema', schema, file], { stdio: 'pipe' });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? String(err);
      throw new Error(`${file} is not valid against ${schema}:\n${stderr}`);
    }
  }
}
