/** The console talks to the server only through the admin API (cookie + CSRF header) and the WeCom API. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | undefined>;

function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function parse<T>(response: Response): Promise<T> {
  const text = await response.text();
  const body = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message);
  }
  return body as T;
}

export class Api {
  private csrf = '';

  constructor(private readonly onSignedOut: () => void) {}

  async restore(): Promise<boolean> {
    const answer = await parse<{ signed_in: boolean; csrf?: string }>(await fetch('/console/session', { credentials: 'same-origin' }));
    this.csrf = answer.csrf ?? '';
    return answer.signed_in;
  }

  async signIn(token: string): Promise<void> {
    const answer = await parse<{ csrf: string }>(
      await fetch('/console/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) }),
    );
    this.csrf = answer.csrf;
  }

  async signOut(): Promise<void> {
    await fetch('/console/session', { method: 'DELETE', headers: { 'x-csrf-token': this.csrf } });
    this.csrf = '';
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.call<T>('GET', path, query);
  }

  send<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown, query?: Query): Promise<T> {
    return this.call<T>(method, path, query, body);
  }

  /** A WeCom API call, exactly as an SDK makes it (no cookie needed: the access_token authorises it). */
  async wecom<T>(method: 'GET' | 'POST', path: string, query: Query, body?: unknown): Promise<T> {
    const response = await fetch(url(path, query), {
      method,
      credentials: 'omit',
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    return parse<T>(response);
  }

  private async call<T>(method: string, path: string, query?: Query, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (method !== 'GET') headers['x-csrf-token'] = this.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url(path, query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    if (response.status === 401) this.onSignedOut();
    return parse<T>(response);
  }
}
