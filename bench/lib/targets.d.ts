// Types for targets.js (the bench is plain ESM JavaScript; test/bench/ checks its pure logic).
export interface ShareTarget {
  readonly kind: 'share';
  readonly share: number;
  readonly of: string;
  readonly text: string;
}
export interface BelowTarget {
  readonly kind: 'below';
  readonly limit: number;
  readonly unit: string;
  readonly text: string;
}
export type Target = ShareTarget | BelowTarget;
export function shareOf(share: number, of: string): ShareTarget;
export function below(limit: number, unit: string): BelowTarget;
export function ratioOf(value: number | null, baseline: number | null): number | null;
export function judge(target: Target | null, facts: { value: number | null; baseline?: number | null; valid?: boolean }): boolean | null;
