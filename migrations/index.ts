import { Foundation1763800000000 } from './1763800000000-Foundation.js';
import { RectificationLoop1763900000000 } from './1763900000000-RectificationLoop.js';

/** Every migration, oldest first. A generated migration is added here to take part. */
export const MIGRATIONS = [Foundation1763800000000, RectificationLoop1763900000000];
