import {
  EVIDENCE_FLAG_LABELS,
  EVIDENCE_FLAG_REASONS,
  distanceMetres,
  judgeAfterPhotos,
  type PhotoCapture,
} from './evidence-rules.js';

const ASSIGNED = new Date('2026-12-01T02:00:00Z'); // 10:00 Beijing
const TASK = { assignedAt: ASSIGNED, lat: 39.9, lng: 116.1 };
type Task = Parameters<typeof judgeAfterPhotos>[1];
const NONE = { capturedAt: null, lat: null, lng: null };
/** About 111.2 m per 0.001° of latitude. */
const northOfTask = (metres: number): { lat: number; lng: number } => ({
  lat: TASK.lat + metres / 111_195,
  lng: TASK.lng,
});

const photo = (
  exif: Partial<PhotoCapture['exif']> = {},
  declared: Partial<PhotoCapture['declared']> = {},
  attachmentId = 'p1',
): PhotoCapture => ({
  attachmentId,
  exif: { ...NONE, ...exif },
  declared: { ...NONE, ...declared },
});
const at = (iso: string): Date => new Date(iso);
const reasons = (photos: PhotoCapture[], task: Task = TASK, max = 300) =>
  judgeAfterPhotos(photos, task, max).map((f) => [f.attachmentId, f.reason, f.source]);

describe('distanceMetres', () => {
  it('is zero for one point and about 111.2 km per degree of latitude', () => {
    expect(distanceMetres(TASK, TASK)).toBe(0);
    expect(distanceMetres({ lat: 0, lng: 0 }, { lat: 1, lng: 0 })).toBeCloseTo(111_195, -1);
  });
  it('shrinks a degree of longitude with the latitude (Beijing ≈ 85 km)', () => {
    const d = distanceMetres({ lat: 39.9, lng: 116 }, { lat: 39.9, lng: 117 });
    expect(d).toBeGreaterThan(85_000);
    expect(d).toBeLessThan(86_000);
  });
});

describe('judgeAfterPhotos', () => {
  it('an on-site photo taken after the assignment raises nothing', () => {
    const p = photo({ capturedAt: at('2026-12-01T03:00:00Z'), ...northOfTask(50) });
    expect(judgeAfterPhotos([p], TASK, 300)).toEqual([]);
  });

  describe('no capture data', () => {
    it('no EXIF time and no declared time → no_capture_data, whatever the position', () => {
      expect(reasons([photo({}, northOfTask(10))])).toEqual([['p1', 'no_capture_data', null]]);
    });
    it('a declared time alone is capture data', () => {
      expect(reasons([photo({}, { capturedAt: at('2026-12-01T03:00:00Z') })])).toEqual([]);
    });
    it('a photo without a time that is also far raises both', () => {
      expect(reasons([photo(northOfTask(1000))])).toEqual([
        ['p1', 'no_capture_data', null],
        ['p1', 'too_far', 'exif'],
      ]);
    });
  });

  describe('taken before the assignment', () => {
    it.each([
      ['one millisecond before', '2026-12-01T01:59:59.999Z', true],
      ['at the very instant', '2026-12-01T02:00:00.000Z', false],
      ['one millisecond after', '2026-12-01T02:00:00.001Z', false],
      ['a month before', '2026-11-01T02:00:00Z', true],
    ])('%s → flagged: %s', (_name, iso, flagged) => {
      const flags = judgeAfterPhotos([photo({ capturedAt: at(iso) })], TASK, 300);
      expect(flags.map((f) => f.reason)).toEqual(flagged ? ['taken_before_assignment'] : []);
    });
    it('says when, from which source, in Beijing time', () => {
      const [flag] = judgeAfterPhotos(
        [photo({}, { capturedAt: at('2026-11-30T01:32:00Z') })],
        TASK,
        300,
      );
      expect(flag).toEqual({
        attachmentId: 'p1',
        reason: 'taken_before_assignment',
        source: 'declared',
        detail: '拍摄时间 2026-11-30 09:32（上传时声明）早于派遣时间 2026-12-01 10:00',
        capturedAt: '2026-11-30T01:32:00.000Z',
        assignedAt: '2026-12-01T02:00:00.000Z',
      });
    });
    it('a task never assigned cannot be judged on time', () => {
      const p = photo({ capturedAt: at('2020-01-01T00:00:00Z') });
      expect(reasons([p], { ...TASK, assignedAt: null })).toEqual([]);
    });
  });

  describe('too far', () => {
    it.each([
      [299, false],
      [301, true],
      [5000, true],
    ])('%d m from the task with a 300 m limit → flagged: %s', (metres, flagged) => {
      const p = photo({ capturedAt: at('2026-12-01T03:00:00Z'), ...northOfTask(metres) });
      expect(judgeAfterPhotos([p], TASK, 300).map((f) => f.reason)).toEqual(
        flagged ? ['too_far'] : [],
      );
    });
    it('exactly at the limit is not too far (more than the limit is)', () => {
      const p = photo({ capturedAt: at('2026-12-01T03:00:00Z'), ...northOfTask(500) });
      const exact = distanceMetres(northOfTask(500), TASK);
      expect(judgeAfterPhotos([p], TASK, exact)).toEqual([]);
      expect(judgeAfterPhotos([p], TASK, exact - 0.01).map((f) => f.reason)).toEqual(['too_far']);
    });
    it('says how far, from which source, against which limit', () => {
      const p = photo({ capturedAt: at('2026-12-01T03:00:00Z') }, northOfTask(1200));
      expect(judgeAfterPhotos([p], TASK, 300)).toEqual([
        {
          attachmentId: 'p1',
          reason: 'too_far',
          source: 'declared',
          detail: '拍摄地点距任务位置约 1200 米（上传时声明），超过 300 米',
          distanceM: 1200,
          maxDistanceM: 300,
        },
      ]);
    });
    it('is not judged without a task position, or without a photo position', () => {
      const far = photo({ capturedAt: at('2026-12-01T03:00:00Z'), ...northOfTask(9000) });
      expect(reasons([far], { ...TASK, lat: null, lng: null })).toEqual([]);
      expect(reasons([photo({ capturedAt: at('2026-12-01T03:00:00Z') })])).toEqual([]);
    });
  });

  describe('EXIF is preferred over what was declared', () => {
    it('an EXIF time after the assignment wins over a declared time before it', () => {
      const p = photo(
        { capturedAt: at('2026-12-01T03:00:00Z') },
        { capturedAt: at('2026-11-01T00:00:00Z') },
      );
      expect(reasons([p])).toEqual([]);
    });
    it('an EXIF time before the assignment is flagged though the declared one is after it', () => {
      const p = photo(
        { capturedAt: at('2026-11-01T00:00:00Z') },
        { capturedAt: at('2026-12-01T03:00:00Z') },
      );
      expect(reasons([p])).toEqual([['p1', 'taken_before_assignment', 'exif']]);
    });
    it('an EXIF position far away wins over a declared one on site, and the other way round', () => {
      const time = { capturedAt: at('2026-12-01T03:00:00Z') };
      expect(reasons([photo({ ...time, ...northOfTask(2000) }, northOfTask(10))])).toEqual([
        ['p1', 'too_far', 'exif'],
      ]);
      expect(reasons([photo({ ...time, ...northOfTask(10) }, northOfTask(2000))])).toEqual([]);
    });
    it('the declared position is used when the photo carries none', () => {
      const p = photo({ capturedAt: at('2026-12-01T03:00:00Z') }, northOfTask(2000));
      expect(reasons([p])).toEqual([['p1', 'too_far', 'declared']]);
    });
  });

  it('judges every photo on its own, in the order given', () => {
    const good = photo({ capturedAt: at('2026-12-01T03:00:00Z') }, {}, 'a');
    const old = photo({ capturedAt: at('2026-11-01T03:00:00Z') }, {}, 'b');
    const bare = photo({}, {}, 'c');
    expect(reasons([good, old, bare])).toEqual([
      ['b', 'taken_before_assignment', 'exif'],
      ['c', 'no_capture_data', null],
    ]);
  });
});

describe('judgeAfterPhotos: the words of each flag', () => {
  it('no_capture_data says neither source had a time', () => {
    expect(judgeAfterPhotos([photo()], TASK, 300)).toEqual([
      {
        attachmentId: 'p1',
        reason: 'no_capture_data',
        source: null,
        detail: '照片无拍摄时间（照片EXIF与上传时声明均无）',
      },
    ]);
  });

  it('names 照片EXIF as the source of an EXIF time or position', () => {
    const p = photo({ capturedAt: at('2026-11-30T01:32:00Z'), ...northOfTask(1200) });
    expect(judgeAfterPhotos([p], TASK, 300).map((f) => f.detail)).toEqual([
      '拍摄时间 2026-11-30 09:32（照片EXIF）早于派遣时间 2026-12-01 10:00',
      '拍摄地点距任务位置约 1200 米（照片EXIF），超过 300 米',
    ]);
  });

  it('the reasons and their labels as the office names them', () => {
    expect(EVIDENCE_FLAG_REASONS).toEqual([
      'taken_before_assignment',
      'too_far',
      'no_capture_data',
    ]);
    expect(EVIDENCE_FLAG_LABELS).toEqual({
      taken_before_assignment: '拍摄早于派遣',
      too_far: '拍摄地点过远',
      no_capture_data: '无拍摄信息',
    });
  });
});

describe('judgeAfterPhotos: half a position is no position', () => {
  const time = { capturedAt: at('2026-12-01T03:00:00Z') };
  const far = northOfTask(2000);

  it('EXIF with a latitude but no longitude (or the reverse) falls back to the declared position', () => {
    expect(reasons([photo({ ...time, lat: far.lat }, far)])).toEqual([
      ['p1', 'too_far', 'declared'],
    ]);
    expect(reasons([photo({ ...time, lng: far.lng }, far)])).toEqual([
      ['p1', 'too_far', 'declared'],
    ]);
  });

  it('a declared latitude without longitude (or the reverse) is not judged', () => {
    expect(reasons([photo(time, { lat: far.lat + 1 })])).toEqual([]);
    expect(reasons([photo(time, { lng: far.lng + 1 })])).toEqual([]);
  });

  it('a task with only a latitude or only a longitude is not judged for distance', () => {
    const p = photo({ ...time, ...northOfTask(9000) });
    expect(reasons([p], { ...TASK, lng: null })).toEqual([]);
    expect(reasons([p], { ...TASK, lat: null })).toEqual([]);
  });
});
