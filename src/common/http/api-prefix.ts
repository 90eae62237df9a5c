/** Every route but health and the docs lives under this prefix (see createApp). */
export const API_PREFIX = 'api/v1';
