import type { Rule } from './types.ts';

/** Every lint rule, in the order they run. Add one import and one entry per rule module. */
export const RULES: Rule[] = [];
