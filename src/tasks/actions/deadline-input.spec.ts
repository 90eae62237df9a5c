import { DomainError } from '../../common/errors/domain-error.js';
import { futureDeadline, workingDeadline } from './deadline-input.js';

const NOW = new Date('2026-03-10T08:00:00.000Z');

describe('futureDeadline: an explicit deadline', () => {
  it('is the instant given when it lies after now', () => {
    expect(futureDeadline('2026-03-10T08:00:00.001Z', NOW, 'deadline')).toEqual(
      new Date('2026-03-10T08:00:00.001Z'),
    );
  });

  it.each<[string, string]>([
    ['now itself', '2026-03-10T08:00:00.000Z'],
    ['the past', '2026-03-09T08:00:00.000Z'],
    ['a text that is no instant', 'tomorrow'],
  ])('refuses %s, naming the field', (_name, value) => {
    let error: unknown;
    try {
      futureDeadline(value, NOW, 'newDeadline');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).details?.errors).toEqual([
      expect.objectContaining({ field: 'newDeadline', code: 'futureDate' }),
    ]);
  });
});

describe('workingDeadline', () => {
  it("takes the office's explicit deadline without reading the category", async () => {
    const unused = new Proxy(
      {},
      {
        get: () => {
          throw new Error('not to be read');
        },
      },
    );
    await expect(
      workingDeadline(
        unused as never,
        unused as never,
        unused as never,
        'cat-1',
        NOW,
        '2026-03-12T08:00:00Z',
      ),
    ).resolves.toEqual(new Date('2026-03-12T08:00:00Z'));
  });

  it('refuses an explicit deadline in the past on the field `deadline`', async () => {
    await expect(
      workingDeadline({} as never, {} as never, {} as never, 'cat-1', NOW, '2026-03-01T08:00:00Z'),
    ).rejects.toMatchObject({ details: { errors: [{ field: 'deadline' }] } });
  });
});
