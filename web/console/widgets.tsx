import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useShell } from './state.js';

export function Link({ href, children }: { href: string; children: ComponentChildren }) {
  const { navigate } = useShell();
  const current = location.pathname === href || (href !== '/console' && location.pathname.startsWith(`${href}/`));
  return (
    <a
      href={href}
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        navigate(href);
      }}
    >
      {children}
    </a>
  );
}

export function Failure({ error }: { error: string | null }) {
  return error ? (
    <p role="alert" class="error">
      {error}
    </p>
  ) : null;
}

/** Keyset pages: the cursor of each page seen, so Previous goes back without offsets. */
export function usePages(): { after: string; page: number; next(cursor: string): void; previous(): void; reset(): void } {
  const [cursors, setCursors] = useState<string[]>(['']);
  return {
    after: cursors[cursors.length - 1]!,
    page: cursors.length,
    next: (cursor) => setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.length > 1 ? cursors.slice(0, -1) : cursors),
    reset: () => setCursors(['']),
  };
}

export function Pager({ label, pages, next }: { label: string; pages: ReturnType<typeof usePages>; next: string | null | undefined }) {
  return (
    <nav class="pager" aria-label={`${label} pages`}>
      <button type="button" disabled={pages.page === 1} onClick={pages.previous}>
        Previous page
      </button>
      <span>Page {pages.page}</span>
      <button type="button" disabled={!next} onClick={() => next && pages.next(next)}>
        Next page
      </button>
    </nav>
  );
}

/** Runs an action, says how it went, and keeps the button disabled meanwhile. */
export function useAction(): { busy: boolean; run(action: () => Promise<string | void>): Promise<void>; error: string | null } {
  const { announce } = useShell();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return {
    busy,
    error,
    run: async (action) => {
      setBusy(true);
      setError(null);
      try {
        const message = await action();
        if (message) announce(message);
      } catch (failure) {
        setError((failure as Error).message);
      } finally {
        setBusy(false);
      }
    },
  };
}

/** A table's column headings. */
export function Head({ columns }: { columns: string[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th scope="col" key={column}>
            {column}
          </th>
        ))}
      </tr>
    </thead>
  );
}
