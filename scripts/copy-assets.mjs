// tsc compiles only .ts; the SQL migrations travel into dist/ beside the adapters that read them.
import { cpSync, existsSync } from 'node:fs';

for (const dialect of ['sqlite', 'postgres']) {
  const from = `src/store/${dialect}/migrations`;
  if (existsSync(from)) cpSync(from, `dist/store/${dialect}/migrations`, { recursive: true });
}
