import type { Linter } from 'eslint';

export declare const ALLOWED: Record<string, string[]>;
export declare const TYPES_ONLY: Record<string, string[]>;
export declare const boundariesConfig: Linter.Config[];
