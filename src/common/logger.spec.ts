import { maskSecretParameters } from './logger.js';

describe('maskSecretParameters', () => {
  it.each([
    [
      '/open311/v2/requests.json?api_key=cck_abc&status=open',
      '/open311/v2/requests.json?api_key=[redacted]&status=open',
    ],
    [
      '/open311/v2/services.xml?status=open&API_KEY=cck_abc',
      '/open311/v2/services.xml?status=open&API_KEY=[redacted]',
    ],
    ['/open311/v2/services.xml?my_api_key=1', '/open311/v2/services.xml?my_api_key=1'],
    ['/api/v1/tasks?status=open', '/api/v1/tasks?status=open'],
  ])('%s is logged as %s', (url, logged) => {
    expect(maskSecretParameters(url)).toBe(logged);
  });
});
