/**
 * Building blocks of the JSON Schemas the routes declare (Fastify `schema`), from which `GET /openapi.json`
 * is generated. Objects are closed (`additionalProperties: false`): the suites validate every real answer
 * against the document, so a field a handler adds without documenting it fails a test instead of being
 * silently dropped by the schema-driven serializer.
 */

export type JsonSchema = Record<string, unknown>;

export const string = (description?: string): JsonSchema => ({ type: 'string', ...(description ? { description } : {}) });
export const integer = (description?: string): JsonSchema => ({ type: 'integer', ...(description ? { description } : {}) });
export const boolean = (description?: string): JsonSchema => ({ type: 'boolean', ...(description ? { description } : {}) });
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({ type: 'array', items, ...(description ? { description } : {}) });

export function object(properties: Record<string, JsonSchema>, required: readonly string[] = [], description?: string): JsonSchema {
  return { type: 'object', properties, required: [...required], additionalProperties: false, ...(description ? { description } : {}) };
}

/** `?access_token=`: read from the query string only (behaviour §1.1), checked before the body. */
export const accessTokenQuery = (extra: Record<string, JsonSchema> = {}): JsonSchema =>
  object({ access_token: string('From gettoken. Missing → 41001, unknown → 40014, expired → 42001.'), ...extra });

/**
 * A WeCom answer: HTTP 200 for success and every API error alike (behaviour §1.1). `listFields` are present
 * in both (empty on error); `successFields` only when `errcode` is 0.
 */
export function wecomAnswer(listFields: Record<string, JsonSchema>, successFields: Record<string, JsonSchema> = {}, description = ''): JsonSchema {
  return object(
    {
      errcode: integer('0 on success; otherwise the error code (docs/errcodes.md).'),
      errmsg: string('"ok" on success; otherwise WeCom\'s text with its hint suffix. Key on errcode, never on errmsg.'),
      ...listFields,
      ...successFields,
    },
    ['errcode', 'errmsg', ...Object.keys(listFields)],
    `HTTP 200 whatever the outcome. ${description}`.trim(),
  );
}

/** Every admin error: a 4xx (or 500) with the offending field when there is one. */
export const adminError = object(
  { error: object({ field: string('The offending field, as a path (corps[0].members[1].userid).'), message: string() }, ['message']) },
  ['error'],
  'Admin error answer.',
);
