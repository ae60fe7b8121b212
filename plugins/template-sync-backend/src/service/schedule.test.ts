import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { describeSchedule } from './schedule';

const fromConfig = (frequency: JsonValue) =>
  describeSchedule(
    readSchedulerServiceTaskScheduleDefinitionFromConfig(
      new ConfigReader({ frequency, timeout: { minutes: 10 } }),
    ),
  ).description;

describe('describeSchedule', () => {
  it.each([
    [{ minutes: 30 }, 'every 30 minutes'],
    [{ hours: 24 }, 'every day'],
    [{ hours: 1, minutes: 30 }, 'every 1 hour and 30 minutes'],
    ['PT15M', 'every 15 minutes'],
    [{ cron: '0 6 * * 1-5' }, 'on the cron schedule 0 6 * * 1-5'],
    [{ trigger: 'manual' }, 'only when asked'],
  ])('describes %j as "%s"', (frequency, text) => {
    expect(fromConfig(frequency)).toBe(text);
  });

  it('says so when the fleet job is switched off', () => {
    expect(describeSchedule(undefined)).toEqual({
      enabled: false,
      description: 'only when asked (the fleet job is switched off)',
    });
  });
});
