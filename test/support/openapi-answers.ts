import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Operation = { responses?: Record<string, { content?: Record<string, { schema?: object }> }> };
type Document = { paths: Record<string, Record<string, Operation>> };

/**
 * Checks real answers against the server's own `GET /openapi.json`: the operation for (method, path) must
 * exist and document the answer's status (exactly, or its `4XX` range), and the body must match that
 * schema. Hooked into the test server's `wecom()` and `admin()` helpers, so every suite that talks HTTP
 * through them checks every answer it gets.
 */
export class AnswerChecker {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { pattern: RegExp; path: string }[];

  constructor(private readonly document: Document) {
    this.routes = Object.keys(document.paths).map((path) => ({
      path,
      pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
    }));
  }

  static async load(baseUrl: string): Promise<AnswerChecker> {
    const response = await fetch(`${baseUrl}/openapi.json`);
    if (!response.ok) throw new Error(`GET /openapi.json → ${response.status}`);
    return new AnswerChecker((await response.json()) as Document);
  }

  /**
   * Throws, naming the route and the first mismatches, when the answer is not what the document says.
   * False when the document has no such operation.
   */
  check(method: string, url: string, status: number, body: unknown): boolean {
    const pathname = new URL(url, 'http://answer.check').pathname;
    const route = this.routes.find((r) => r.pattern.test(pathname));
    const operation = route ? this.document.paths[route.path]![method.toLowerCase()] : undefined;
    const where = `${method} ${pathname}`;
    // A route without a schema fails test/http/openapi.test.ts once, rather than every suite that calls it.
    if (!route || !operation) return false;
    const responses = operation.responses ?? {};
    const key = [String(status), `${String(status)[0]}XX`, `${String(status)[0]}xx`, 'default'].find((k) => responses[k]);
    const schema = key ? responses[key]!.content?.['application/json']?.schema : undefined;
    if (!key || !schema) throw new Error(`${where} answered ${status}, which /openapi.json does not document`);
    const id = `${method} ${route.path} ${key}`;
    let validate = this.validators.get(id);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.validators.set(id, validate);
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
      throw new Error(`${where} answered ${status} with a body that does not match /openapi.json (src/wire/json-schemas/): ${errors.join('; ')}\n${JSON.stringify(body).slice(0, 500)}`);
    }
    return true;
  }
}
