const MAX_ENTRIES = 20_000;

/** A bounded map whose entries are valid for one store generation only. */
export class GenerationMap<V> {
  private readonly entries = new Map<string, { generation: number; value: V }>();

  get(key: string, generation: number): V | undefined {
    const entry = this.entries.get(key);
    return entry && entry.generation === generation ? entry.value : undefined;
  }

  set(key: string, generation: number, value: V): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(key, { generation, value });
  }
}
