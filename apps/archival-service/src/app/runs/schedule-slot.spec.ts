import { manualSlot, scheduleSlot, SLOT_PATTERN } from './schedule-slot';

describe('schedule slots', () => {
  it('names the scheduled second in UTC, whether the timer fired a little early or late', () => {
    expect(scheduleSlot(new Date('2026-11-23T10:51:00.004Z'))).toBe('cron:2026-11-23T10:51:00Z');
    expect(scheduleSlot(new Date('2026-11-23T10:50:59.997Z'))).toBe('cron:2026-11-23T10:51:00Z');
    expect(scheduleSlot(new Date('2026-11-23T23:59:59.800Z'))).toBe('cron:2026-11-24T00:00:00Z');
  });

  it('accepts only schedule and manual slots from clients', () => {
    expect(SLOT_PATTERN.test('cron:2026-11-23T10:51:00Z')).toBe(true);
    expect(SLOT_PATTERN.test(manualSlot('0b7c2f8e-2a59-4d8b-9a53-3f0d1c2b4e5a'))).toBe(true);
    for (const bad of ['cron:2026-11-23T10:51:00.000Z', 'cron:2026-11-23', 'manual:x', 'other:1', '']) {
      expect(SLOT_PATTERN.test(bad)).toBe(false);
    }
  });
});
