import type { FastifyInstance } from 'fastify';
import { WecomError } from '../domain/wecom-error.js';

/** Request bodies over 1 MiB are refused (issue 2); Fastify applies it per route (app-wide default). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/** A fixture upload may be as large as a JS string can be (V8 caps strings near 512 MiB). */
export const FIXTURE_BODY_LIMIT_BYTES = 512 * 1024 * 1024;

/**
 * Every body is JSON whatever its Content-Type says: real WeCom SDKs send JSON labelled
 * application/x-www-form-urlencoded (or nothing), and Fastify would answer 415. An empty body is `{}`;
 * an unparsable one is WeCom's 40058 "Warning: wrong json format." (behaviour §9.1.3).
 */
export function acceptJsonWhateverTheContentType(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const text = (body as string).replace(/^\uFEFF/, '');
    if (text.trim() === '') return done(null, {});
    try {
      done(null, JSON.parse(text));
    } catch {
      done(new WecomError('INVALID_ARGUMENT', { detail: 'body is not valid JSON', wrongJsonFormat: true }), undefined);
    }
  });
}
