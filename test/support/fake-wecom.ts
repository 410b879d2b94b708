import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny stand-in for WeCom answering the customer-inheritance APIs per behaviour §9–§10 (only what the CLI
 * reads and sends), for CLI tests that must not depend on the server branches. State is plain maps the
 * test arranges and inspects; every call is recorded.
 */
export interface FakeTransfer {
  kind: 'onjob' | 'resigned';
  handover: string;
  takeover: string;
  id: string;
  status: 1 | 2 | 3 | 4;
  takeover_time: number;
}

export interface FakeGroup {
  chat_id: string;
  owner: string;
  status: 0 | 1 | 2 | 3;
}

export class FakeWecom {
  /** userid → the customers they hold. */
  readonly holds = new Map<string, Set<string>>();
  /** Resigned members and their dimission_time. */
  readonly resigned = new Map<string, number>();
  /** Customer cap per member (current + waiting incoming); default 5000. */
  readonly caps = new Map<string, number>();
  readonly transfers: FakeTransfer[] = [];
  readonly groups = new Map<string, FakeGroup>();
  readonly calls: { path: string; body: any }[] = [];
  /** Page sizes small enough to make the CLI page. */
  pageSize = 1000;
  baseUrl = '';
  private server: Server | undefined;

  hold(userid: string, ids: string[]): void {
    const held = this.holds.get(userid) ?? new Set();
    for (const id of ids) held.add(id);
    this.holds.set(userid, held);
  }

  sent(path: string): string[] {
    return this.calls.filter((c) => c.path.endsWith(path)).flatMap((c) => c.body.external_userid ?? c.body.chat_id_list ?? []);
  }

  /** Every resigned group inheritance in progress completes (the spec's 60 s have passed). */
  completeGroupInheritance(): void {
    for (const group of this.groups.values()) if (group.status === 2) Object.assign(group, { status: 3, owner: (group as FakeGroup & { next?: string }).next });
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      void this.answer(request).then((answer) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(answer));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(request: IncomingMessage): Promise<unknown> {
    const url = new URL(request.url!, 'http://fake');
    let text = '';
    for await (const part of request) text += part;
    const body = text ? JSON.parse(text) : {};
    const path = url.pathname.replace('/cgi-bin/', '');
    this.calls.push({ path, body });
    if (path === 'gettoken') return { errcode: 0, errmsg: 'ok', access_token: 'FAKETOKEN', expires_in: 7200 };
    if (url.searchParams.get('access_token') !== 'FAKETOKEN') return { errcode: 40014, errmsg: 'invalid access_token' };
    const ok = { errcode: 0, errmsg: 'ok' };
    switch (path) {
      case 'externalcontact/list': {
        const ids = [...(this.holds.get(url.searchParams.get('userid')!) ?? [])];
        return ids.length ? { ...ok, external_userid: ids } : { errcode: 84061, errmsg: 'not external contact' };
      }
      case 'externalcontact/transfer_customer':
        return this.transfer('onjob', body);
      case 'externalcontact/resigned/transfer_customer':
        if (!this.resigned.has(body.handover_userid)) return { errcode: 40097, errmsg: 'handover not resigned', customer: [] };
        return this.transfer('resigned', body);
      case 'externalcontact/transfer_result':
      case 'externalcontact/resigned/transfer_result': {
        const kind = path.includes('resigned') ? 'resigned' : 'onjob';
        const rows = this.transfers.filter((t) => t.kind === kind && t.handover === body.handover_userid && t.takeover === body.takeover_userid);
        return { ...ok, ...this.page(rows.map((t) => ({ external_userid: t.id, status: t.status, takeover_time: t.takeover_time })), body.cursor, 'customer') };
      }
      case 'externalcontact/get_unassigned_list': {
        const rows = [...this.resigned].flatMap(([userid, dimission_time]) =>
          [...(this.holds.get(userid) ?? [])].filter((id) => !this.waiting(id)).map((external_userid) => ({ handover_userid: userid, external_userid, dimission_time })),
        );
        const page = this.page(rows, body.cursor, 'info', Math.min(body.page_size ?? 1000, this.pageSize));
        return { ...ok, info: page.info, is_last: page.next_cursor === '', next_cursor: page.next_cursor };
      }
      case 'externalcontact/groupchat/list': {
        const rows = [...this.groups.values()]
          .filter((g) => !body.status_filter || g.status === body.status_filter)
          .filter((g) => !body.owner_filter || body.owner_filter.userid_list.includes(g.owner))
          .map(({ chat_id, status }) => ({ chat_id, status }));
        return { ...ok, ...this.page(rows, body.cursor, 'group_chat_list', Math.min(body.limit, this.pageSize)) };
      }
      case 'externalcontact/groupchat/get': {
        const group = this.groups.get(body.chat_id);
        return group ? { ...ok, group_chat: { chat_id: group.chat_id, name: group.chat_id, owner: group.owner, create_time: 1, notice: '', member_list: [], admin_list: [] } } : { errcode: 40050, errmsg: 'chat_id not found' };
      }
      case 'externalcontact/groupchat/onjob_transfer':
      case 'externalcontact/groupchat/transfer':
        return { ...ok, failed_chat_list: this.transferGroups(path.endsWith('onjob_transfer'), body) };
      default:
        return { errcode: 404, errmsg: `fake wecom does not answer ${path}` };
    }
  }

  private waiting(id: string): boolean {
    return this.transfers.some((t) => t.id === id && t.status === 2);
  }

  private transfer(kind: FakeTransfer['kind'], body: { handover_userid: string; takeover_userid: string; external_userid: string[] }) {
    const takeover = body.takeover_userid;
    const load = () => (this.holds.get(takeover)?.size ?? 0) + this.transfers.filter((t) => t.takeover === takeover && t.status === 2).length;
    const customer = body.external_userid.map((id) => {
      const code = !this.holds.get(body.handover_userid)?.has(id) ? 40131 : this.waiting(id) ? 40129 : load() >= (this.caps.get(takeover) ?? 5000) ? 40099 : 0;
      if (code === 0) this.transfers.push({ kind, handover: body.handover_userid, takeover, id, status: 2, takeover_time: 1_800_000_000 });
      return { external_userid: id, errcode: code };
    });
    return { errcode: 0, errmsg: 'ok', customer };
  }

  private transferGroups(onjob: boolean, body: { chat_id_list: string[]; new_owner: string }) {
    const failed: { chat_id: string; errcode: number; errmsg: string }[] = [];
    for (const chat_id of body.chat_id_list) {
      const group = this.groups.get(chat_id);
      const ownerResigned = group ? this.resigned.has(group.owner) : false;
      const code = !group ? 90501 : onjob ? (ownerResigned ? 90502 : 0) : group.status === 2 ? 90507 : group.status === 3 ? 90508 : !ownerResigned ? 90500 : 0;
      const final = code === 0 && group!.owner === body.new_owner ? 90504 : code;
      if (final !== 0) failed.push({ chat_id, errcode: final, errmsg: `fake ${final}` });
      else if (onjob) group!.owner = body.new_owner;
      else Object.assign(group!, { status: 2, next: body.new_owner });
    }
    return failed;
  }

  private page<T, K extends string>(rows: T[], cursor: string | undefined, key: K, size = this.pageSize): Record<K, T[]> & { next_cursor: string } {
    const start = cursor ? Number(cursor) : 0;
    const end = start + size;
    return { [key]: rows.slice(start, end), next_cursor: end < rows.length ? String(end) : '' } as Record<K, T[]> & { next_cursor: string };
  }
}
