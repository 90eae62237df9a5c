import { DomainError } from '../../common/errors/domain-error.js';
import { parseDeclaredCapture } from './declared-capture.js';

const NOW = new Date('2026-12-01T02:00:00Z');

/** The field a refusal names, or null when the fields are accepted. */
function refusedField(fields: Record<string, string>): string | null {
  try {
    parseDeclaredCapture(fields, NOW);
    return null;
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return e.details?.errors?.[0]?.field ?? null;
  }
}

describe('parseDeclaredCapture', () => {
  it('nothing declared is nothing', () => {
    expect(parseDeclaredCapture({}, NOW)).toEqual({
      capturedAt: null,
      lat: null,
      lng: null,
      accuracyM: null,
    });
  });

  it('reads a time with an offset, or as Beijing time without one, and a position with accuracy', () => {
    expect(
      parseDeclaredCapture(
        { capturedAt: '2026-12-01T09:30:00', lat: ' 39.9375 ', lng: '-116.5', accuracyM: '12.5' },
        NOW,
      ),
    ).toEqual({
      capturedAt: new Date('2026-12-01T01:30:00Z'),
      lat: 39.9375,
      lng: -116.5,
      accuracyM: 12.5,
    });
    expect(parseDeclaredCapture({ capturedAt: '2026-12-01T01:30:00Z' }, NOW).capturedAt).toEqual(
      new Date('2026-12-01T01:30:00Z'),
    );
  });

  it('allows a phone clock up to an hour ahead, not more', () => {
    expect(refusedField({ capturedAt: '2026-12-01T03:00:00Z' })).toBeNull();
    expect(refusedField({ capturedAt: '2026-12-01T03:00:01Z' })).toBe('capturedAt');
  });

  it.each([
    [{ capturedAt: '2026-12-01' }, 'capturedAt'],
    [{ capturedAt: 'now' }, 'capturedAt'],
    [{ capturedAt: '2026-12-01 09:30:00' }, 'capturedAt'],
    [{ capturedAt: '' }, 'capturedAt'],
    [{ lat: '90', lng: '180' }, null],
    // What String(n) gives for coordinates computed in JavaScript.
    [{ lat: String(39.9375 + 1e-13), lng: String(116.0958 + 116.0958 * Number.EPSILON) }, null],
    [{ lat: '-90', lng: '-180' }, null],
    [{ lat: '90.0001', lng: '116' }, 'lat'],
    [{ lat: '39.9', lng: '180.5' }, 'lng'],
    [{ lat: 'NaN', lng: '116' }, 'lat'],
    [{ lat: 'Infinity', lng: '116' }, 'lat'],
    [{ lat: '0x10', lng: '116' }, 'lat'],
    [{ lat: '', lng: '116' }, 'lat'],
    [{ lat: '39.9' }, 'lng'],
    [{ lng: '116' }, 'lat'],
    [{ lat: '39.9', lng: '116', accuracyM: '0' }, null],
    [{ lat: '39.9', lng: '116', accuracyM: '100000' }, null],
    [{ lat: '39.9', lng: '116', accuracyM: '100001' }, 'accuracyM'],
    [{ lat: '39.9', lng: '116', accuracyM: '-0.5' }, 'accuracyM'],
    [{ accuracyM: '5' }, 'accuracyM'],
  ])('%j → refused naming %p', (fields, field) => {
    expect(refusedField(fields as Record<string, string>)).toBe(field);
  });
});
