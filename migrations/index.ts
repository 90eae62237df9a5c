import { Foundation1763800000000 } from './1763800000000-Foundation.js';

/** Every migration, oldest first. A generated migration is added here to take part. */
export const MIGRATIONS = [Foundation1763800000000];
